import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { createDraft, editDraft, tableQuestion, withdrawQuestion } from './member.commands.ts';
import {
  acceptedQuestion,
  auditActions,
  createWorld,
  draftAnswer,
  draftQuestion,
  expectRefusal,
  publishedAnswer,
  run,
  tabledQuestion,
  type World,
} from './test-factories.ts';

let t: TestDatabase;
let w: World;
const now = new Date();

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now, { oralQuestionsPerMember: 1 });
});
after(async () => {
  await t.close();
});

const question = (id: number) => t.db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('createDraft', () => {
  test('a member drafts a question for a coming meeting', async () => {
    const { questionId } = await run(t.db, (trx) =>
      createDraft(trx, w.actors.member, {
        meetingId: w.meetings.future.id,
        questionType: 'oral',
        title: '  Night buses\tin the east  ',
        body: 'Will the Mayor restore the N38?\r\nIt was cut in <b>May</b>.',
        topicIds: [w.topicIds[1], w.topicIds[0], w.topicIds[0]],
      }),
    );
    const q = await question(questionId);
    assert.equal(q.state, 'draft');
    assert.equal(q.asker_id, w.memberPersonId);
    assert.equal(q.title, 'Night buses in the east');
    // Line endings normalised, markup kept as the text it is.
    assert.equal(q.body, 'Will the Mayor restore the N38?\nIt was cut in <b>May</b>.');
    assert.equal(q.reference_number, null);
    const topics = await t.db.selectFrom('question_topics').select('topic_id').where('question_id', '=', questionId).orderBy('topic_id').execute();
    assert.deepEqual(
      topics.map((r) => r.topic_id),
      [...w.topicIds].sort((a, b) => a - b),
    );
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'question').where('record_id', '=', questionId).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, 'question.drafted');
    assert.equal(audit[0]?.from_state, null);
    assert.equal(audit[0]?.to_state, 'draft');
    assert.equal(audit[0]?.actor_id, w.actors.member.userId);
  });

  test('staff draft for the member they act for', async () => {
    const questionId = await draftQuestion(t.db, w, { asker: w.actors.staff });
    assert.equal((await question(questionId)).asker_id, w.memberPersonId);
  });

  test('control characters are removed; NUL never reaches the database', async () => {
    const { questionId } = await run(t.db, (trx) =>
      createDraft(trx, w.actors.member, { meetingId: w.meetings.future.id, questionType: 'written', title: 'Bus\u0000 lanes\u0007', body: 'Line one\u0000\n\tindented\u009b' }),
    );
    const q = await question(questionId);
    assert.equal(q.title, 'Bus lanes');
    assert.equal(q.body, 'Line one\n\tindented');
  });

  test('refusals change nothing', async () => {
    const base = { meetingId: w.meetings.future.id, questionType: 'written' as const, title: 'Bus reliability', body: 'How reliable?' };
    const forbidden = await expectRefusal(t.db, 'forbidden', (trx) => createDraft(trx, w.actors.clerk, base));
    assert.equal(forbidden.message, 'Only members, and staff acting for them, can draft questions.');
    await expectRefusal(t.db, 'forbidden', (trx) => createDraft(trx, w.actors.approver, base));
    await expectRefusal(t.db, 'conflict', (trx) => createDraft(trx, w.actors.member, { ...base, meetingId: w.meetings.held.id }));
    await expectRefusal(t.db, 'conflict', (trx) => createDraft(trx, w.actors.member, { ...base, meetingId: w.meetings.cancelled.id }));
    const noMeeting = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, meetingId: 999_999 }));
    assert.deepEqual(noMeeting.fields, { meetingId: 'Choose a meeting from the list' });
  });

  test('validation gives a message per field', async () => {
    const base = { meetingId: w.meetings.future.id, questionType: 'written' as const, title: 'Bus reliability', body: 'How reliable?' };
    const empty = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, title: ' \u0000\n ', body: '' }));
    assert.deepEqual(empty.fields, { title: 'Enter a title', body: 'Enter the text of the question' });
    const long = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, title: 'x'.repeat(301), body: 'y'.repeat(20_001) }));
    assert.deepEqual(long.fields, { title: 'A title must be 300 characters or fewer', body: 'The text of the question must be 20,000 characters or fewer' });
    // The limits count characters as PostgreSQL does: 300 emoji fit, although they are 600 UTF-16 units.
    const emoji = await run(t.db, (trx) => createDraft(trx, w.actors.member, { ...base, title: '🚌'.repeat(300) }));
    assert.equal((await question(emoji.questionId)).title, '🚌'.repeat(300));
    const type = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, questionType: 'supplementary' as 'oral' }));
    assert.deepEqual(type.fields, { questionType: 'Choose written or oral' });
    const topics = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, topicIds: [999_999] }));
    assert.deepEqual(topics.fields, { topicIds: 'Choose topics from the list' });
    const draftId = await draftQuestion(t.db, w);
    const followUp = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { ...base, followUpOfId: draftId }));
    assert.deepEqual(followUp.fields, { followUpOfId: 'Choose a published question to follow up' });
    const untyped = await expectRefusal(t.db, 'validation_failed', (trx) => createDraft(trx, w.actors.member, { meetingId: 'x' } as never));
    assert.ok(untyped.fields?.meetingId && untyped.fields.title && untyped.fields.body);
  });

  test('a follow-up of a published question is recorded', async () => {
    const original = await acceptedQuestion(t.db, w);
    const { questionId } = await run(t.db, (trx) =>
      createDraft(trx, w.actors.member, {
        meetingId: w.meetings.future.id,
        questionType: 'written',
        title: 'Further to bus reliability',
        body: `Further to your answer to ${original.reference} ...`,
        followUpOfId: original.questionId,
      }),
    );
    assert.equal((await question(questionId)).follow_up_of_id, original.questionId);
  });
});

describe('editDraft', () => {
  test('the member edits their draft; the old and new title are recorded', async () => {
    const questionId = await draftQuestion(t.db, w);
    const result = await run(t.db, (trx) =>
      editDraft(trx, w.actors.staff, { questionId, title: 'Bus punctuality', meetingId: w.meetings.later.id, topicIds: [w.topicIds[0]] }),
    );
    assert.deepEqual(result.changed, ['title', 'meeting_id', 'topic_ids']);
    const q = await question(questionId);
    assert.equal(q.title, 'Bus punctuality');
    assert.equal(q.meeting_id, w.meetings.later.id);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', questionId).where('action', '=', 'question.draft_edited').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.details, {
      changed: ['title', 'meeting_id', 'topic_ids'],
      oldTitle: 'Bus reliability',
      newTitle: 'Bus punctuality',
      fromMeetingId: w.meetings.future.id,
      toMeetingId: w.meetings.later.id,
    });
  });

  test('an edit that changes nothing writes nothing', async () => {
    const questionId = await draftQuestion(t.db, w);
    const before = await auditActions(t.db, 'question', questionId);
    const result = await run(t.db, (trx) => editDraft(trx, w.actors.member, { questionId, title: ' Bus   reliability ' }));
    assert.deepEqual(result.changed, []);
    assert.deepEqual(await auditActions(t.db, 'question', questionId), before);
  });

  test('refusals change nothing', async () => {
    const questionId = await draftQuestion(t.db, w);
    const other = await expectRefusal(t.db, 'forbidden', (trx) => editDraft(trx, w.actors.otherMember, { questionId, title: 'Mine now' }));
    assert.match(other.message, /your own questions/);
    await expectRefusal(t.db, 'forbidden', (trx) => editDraft(trx, w.actors.clerk, { questionId, title: 'Clerk' }));
    await expectRefusal(t.db, 'conflict', (trx) => editDraft(trx, w.actors.member, { questionId, meetingId: w.meetings.held.id }));
    await expectRefusal(t.db, 'validation_failed', (trx) => editDraft(trx, w.actors.member, { questionId, meetingId: 999_999 }));
    await expectRefusal(t.db, 'validation_failed', (trx) => editDraft(trx, w.actors.member, { questionId }));
    await expectRefusal(t.db, 'not_found', (trx) => editDraft(trx, w.actors.member, { questionId: 999_999, title: 'Gone' }));
    await run(t.db, (trx) => tableQuestion(trx, w.actors.member, { questionId }));
    const tabled = await expectRefusal(t.db, 'conflict', (trx) => editDraft(trx, w.actors.member, { questionId, title: 'Too late' }));
    assert.equal(tabled.message, 'This question is waiting for the clerk to accept or reject it, so it cannot be edited.');
  });
});

describe('tableQuestion', () => {
  test('the member tables a draft before the cut-off', async () => {
    const questionId = await draftQuestion(t.db, w);
    await run(t.db, (trx) => tableQuestion(trx, w.actors.member, { questionId }, { now }));
    const q = await question(questionId);
    assert.equal(q.state, 'tabled');
    assert.equal(q.tabled_at?.getTime(), now.getTime());
    assert.deepEqual(await auditActions(t.db, 'question', questionId), ['question.drafted', 'question.tabled']);
  });

  test('refusals change nothing', async () => {
    const questionId = await draftQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => tableQuestion(trx, w.actors.otherMember, { questionId }));
    await expectRefusal(t.db, 'forbidden', (trx) => tableQuestion(trx, w.actors.clerk, { questionId }));
    // The meeting's cut-off is passed by the clock.
    const cutOff = await expectRefusal(t.db, 'conflict', (trx) => tableQuestion(trx, w.actors.member, { questionId }, { now: new Date(now.getTime() + 11 * 86_400_000) }));
    assert.match(cutOff.message, /cut-off/);
    const closing = await draftQuestion(t.db, w, { meeting: w.meetings.closing });
    await expectRefusal(t.db, 'conflict', (trx) => tableQuestion(trx, w.actors.member, { questionId: closing }));
    await run(t.db, (trx) => tableQuestion(trx, w.actors.member, { questionId }));
    await expectRefusal(t.db, 'conflict', (trx) => tableQuestion(trx, w.actors.member, { questionId }));
  });

  test('the cap on oral questions per member per meeting holds; written questions have none', async () => {
    const first = await draftQuestion(t.db, w, { type: 'oral', meeting: w.meetings.later });
    const second = await draftQuestion(t.db, w, { type: 'oral', meeting: w.meetings.later });
    await run(t.db, (trx) => tableQuestion(trx, w.actors.member, { questionId: first }));
    const capped = await expectRefusal(t.db, 'conflict', (trx) => tableQuestion(trx, w.actors.staff, { questionId: second }));
    assert.match(capped.message, /as many questions of this type/);
    // Another member's cap is their own.
    const theirs = await draftQuestion(t.db, w, { type: 'oral', meeting: w.meetings.later, asker: w.actors.otherMember });
    await run(t.db, (trx) => tableQuestion(trx, w.actors.otherMember, { questionId: theirs }));
    for (let i = 0; i < 3; i++) await tabledQuestion(t.db, w, { type: 'written', meeting: w.meetings.later });
  });
});

describe('withdrawQuestion', () => {
  test('a tabled question is withdrawn with its reason, and has no reference', async () => {
    const questionId = await tabledQuestion(t.db, w);
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.staff, { questionId, reason: 'Answered in the Mayor’s report.' }, { now }));
    const q = await question(questionId);
    assert.equal(q.state, 'withdrawn');
    assert.equal(q.withdrawn_at?.getTime(), now.getTime());
    assert.equal(q.withdrawal_reason, 'Answered in the Mayor’s report.');
    assert.equal(q.reference_number, null);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', questionId).where('action', '=', 'question.withdrawn').executeTakeFirstOrThrow();
    assert.deepEqual([audit.from_state, audit.to_state, audit.details], ['tabled', 'withdrawn', { reason: 'Answered in the Mayor’s report.' }]);
  });

  test('an accepted question keeps its reference; a holding answer does not stop withdrawal', async () => {
    const { questionId } = await acceptedQuestion(t.db, w);
    await publishedAnswer(t.db, w, questionId, { kind: 'holding' });
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId }));
    const q = await question(questionId);
    assert.equal(q.state, 'withdrawn');
    assert.notEqual(q.reference_number, null);
  });

  test('refusals change nothing', async () => {
    const draft = await draftQuestion(t.db, w);
    assert.equal((await expectRefusal(t.db, 'conflict', (trx) => withdrawQuestion(trx, w.actors.member, { questionId: draft }))).message, 'This question is still a draft, so it cannot be withdrawn.');
    const { questionId } = await acceptedQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => withdrawQuestion(trx, w.actors.otherMember, { questionId }));
    await expectRefusal(t.db, 'forbidden', (trx) => withdrawQuestion(trx, w.actors.clerk, { questionId }));
    await expectRefusal(t.db, 'validation_failed', (trx) => withdrawQuestion(trx, w.actors.member, { questionId, reason: '' }));
    await publishedAnswer(t.db, w, questionId);
    const answered = await expectRefusal(t.db, 'conflict', (trx) => withdrawQuestion(trx, w.actors.member, { questionId }));
    assert.equal(answered.message, 'This question has been answered, so it cannot be withdrawn.');
  });

  test('a draft answer in progress does not stop the member withdrawing', async () => {
    const { questionId } = await acceptedQuestion(t.db, w);
    await draftAnswer(t.db, w, questionId, { until: 'approved' });
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId }));
    assert.equal((await question(questionId)).state, 'withdrawn');
  });
});
