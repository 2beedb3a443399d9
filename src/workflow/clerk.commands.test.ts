import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonDate } from '../calendar/london-time.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { acceptQuestion, clerkEditQuestion, markAsked, moveQuestion, rejectQuestion } from './clerk.commands.ts';
import { withdrawQuestion } from './member.commands.ts';
import {
  acceptedQuestion,
  auditActions,
  createWorld,
  draftQuestion,
  expectRefusal,
  mailTo,
  noonAfter,
  run,
  tabledQuestion,
  type World,
} from './test-factories.ts';

let t: TestDatabase;
let w: World;
const now = new Date();

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
});
after(async () => {
  await t.close();
});

const question = (id: number) => t.db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('acceptQuestion', () => {
  test('the clerk accepts: the next reference of the year, public from now, and the member and their staff are told', async () => {
    const first = await tabledQuestion(t.db, w, { title: 'Bus <reliability>' });
    const second = await tabledQuestion(t.db, w);
    const a = await run(t.db, (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: first }, { now, publicUrl: 'https://answerable.example/' }));
    const b = await run(t.db, (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: second }, { now }));
    const year = Number(londonDate(now).slice(0, 4));
    assert.match(a.reference, new RegExp(`^${year}/\\d{4,}$`));
    assert.equal(Number(b.reference.split('/')[1]), Number(a.reference.split('/')[1]) + 1);
    const q = await question(first);
    assert.equal(q.state, 'accepted');
    assert.equal(q.reference_year, year);
    assert.equal(q.decided_at?.getTime(), now.getTime());
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', first).where('action', '=', 'question.accepted').executeTakeFirstOrThrow();
    assert.deepEqual([audit.from_state, audit.to_state, audit.details], ['tabled', 'accepted', { reference: a.reference }]);

    for (const actor of [w.actors.member, w.actors.staff]) {
      const mail = (await mailTo(t.db, actor.email)).filter((m) => m.subject.includes(a.reference));
      assert.equal(mail.length, 1, actor.email);
      assert.equal(mail[0]?.kind, 'question_accepted');
      assert.equal(mail[0]?.subject, `Question accepted: ${a.reference} Bus <reliability>`);
      assert.ok(mail[0]?.body_text.includes(`https://answerable.example/questions/${a.reference}`));
    }
    assert.equal((await mailTo(t.db, w.actors.otherMember.email)).length, 0);
    assert.equal((await mailTo(t.db, w.actors.clerk.email)).length, 0);
  });

  test('refusals change nothing (and take no reference)', async () => {
    const draft = await draftQuestion(t.db, w);
    const tabled = await tabledQuestion(t.db, w);
    assert.equal((await expectRefusal(t.db, 'forbidden', (trx) => acceptQuestion(trx, w.actors.member, { questionId: tabled }))).message, 'Only the clerk can accept questions.');
    await expectRefusal(t.db, 'forbidden', (trx) => acceptQuestion(trx, w.actors.approver, { questionId: tabled }));
    await expectRefusal(t.db, 'conflict', (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: draft }));
    await expectRefusal(t.db, 'not_found', (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: 999_999 }));
    await run(t.db, (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: tabled }));
    await expectRefusal(t.db, 'conflict', (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: tabled }));
    const withdrawn = await tabledQuestion(t.db, w);
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId: withdrawn }));
    const refusal = await expectRefusal(t.db, 'conflict', (trx) => acceptQuestion(trx, w.actors.clerk, { questionId: withdrawn }));
    assert.equal(refusal.message, 'This question has been withdrawn, so it cannot be accepted.');
  });

  test('two clerks accepting the same question at once: one succeeds, the other is refused, one number is used', async () => {
    const questionId = await tabledQuestion(t.db, w);
    const before = await t.db.selectFrom('reference_sequences').selectAll().execute();
    const results = await Promise.allSettled([0, 1].map(() => run(t.db, (trx) => acceptQuestion(trx, w.actors.clerk, { questionId }))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(refused.length, 1);
    assert.equal((refused[0]?.reason as { code?: string }).code, 'conflict');
    const after = await t.db.selectFrom('reference_sequences').selectAll().execute();
    const year = (await question(questionId)).reference_year;
    const count = (rows: typeof before) => rows.find((r) => r.year === year)?.last_number ?? 0;
    assert.equal(count(after), count(before) + 1);
    assert.deepEqual(await auditActions(t.db, 'question', questionId), ['question.drafted', 'question.tabled', 'question.accepted']);
  });
});

describe('rejectQuestion', () => {
  test('the clerk rejects with a reason; the member is told the reason; no reference', async () => {
    const questionId = await tabledQuestion(t.db, w, { title: 'Rejectable' });
    await run(t.db, (trx) => rejectQuestion(trx, w.actors.clerk, { questionId, reason: 'The Mayor has no power over\r\nthe national rail timetable.' }, { now }));
    const q = await question(questionId);
    assert.equal(q.state, 'rejected');
    assert.equal(q.rejection_reason, 'The Mayor has no power over\nthe national rail timetable.');
    assert.equal(q.reference_number, null);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', questionId).where('action', '=', 'question.rejected').executeTakeFirstOrThrow();
    assert.deepEqual(audit.details, { reason: 'The Mayor has no power over\nthe national rail timetable.' });
    const mail = (await mailTo(t.db, w.actors.member.email)).filter((m) => m.kind === 'question_rejected');
    assert.equal(mail.length, 1);
    assert.equal(mail[0]?.subject, 'Question not accepted: Rejectable');
    assert.ok(mail[0]?.body_text.includes('the national rail timetable.'));
  });

  test('refusals change nothing', async () => {
    const questionId = await tabledQuestion(t.db, w);
    const noReason = await expectRefusal(t.db, 'validation_failed', (trx) => rejectQuestion(trx, w.actors.clerk, { questionId, reason: '   ' }));
    assert.deepEqual(noReason.fields, { reason: 'Enter the reason for rejecting the question' });
    await expectRefusal(t.db, 'forbidden', (trx) => rejectQuestion(trx, w.actors.member, { questionId, reason: 'No' }));
    await run(t.db, (trx) => rejectQuestion(trx, w.actors.clerk, { questionId, reason: 'Out of scope' }));
    await expectRefusal(t.db, 'conflict', (trx) => rejectQuestion(trx, w.actors.clerk, { questionId, reason: 'Again' }));
    await expectRefusal(t.db, 'conflict', (trx) => acceptQuestion(trx, w.actors.clerk, { questionId }));
    await expectRefusal(t.db, 'conflict', (trx) => withdrawQuestion(trx, w.actors.member, { questionId }));
  });
});

describe('clerkEditQuestion', () => {
  test('the clerk fixes the title and topics of tabled and accepted questions; both values are recorded', async () => {
    const tabled = await tabledQuestion(t.db, w, { title: 'bus relaibility' });
    const result = await run(t.db, (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId: tabled, title: 'Bus reliability', topicIds: [w.topicIds[0]] }));
    assert.deepEqual(result.changed, ['title', 'topic_ids']);
    assert.equal((await question(tabled)).title, 'Bus reliability');
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', tabled).where('action', '=', 'question.clerk_edited').executeTakeFirstOrThrow();
    assert.deepEqual(audit.details, { oldTitle: 'bus relaibility', newTitle: 'Bus reliability', oldTopicIds: [], newTopicIds: [w.topicIds[0]] });
    assert.deepEqual([audit.from_state, audit.to_state], ['tabled', 'tabled']);

    const { questionId } = await acceptedQuestion(t.db, w);
    await run(t.db, (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId, title: 'Bus reliability in 2026' }));
    assert.equal((await question(questionId)).title, 'Bus reliability in 2026');
    const same = await run(t.db, (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId, title: 'Bus reliability in 2026' }));
    assert.deepEqual(same.changed, []);
    assert.deepEqual(await auditActions(t.db, 'question', questionId), ['question.drafted', 'question.tabled', 'question.accepted', 'question.clerk_edited']);
  });

  test('refusals change nothing', async () => {
    const draft = await draftQuestion(t.db, w);
    await expectRefusal(t.db, 'conflict', (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId: draft, title: 'Private' }));
    const tabled = await tabledQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => clerkEditQuestion(trx, w.actors.member, { questionId: tabled, title: 'Mine' }));
    await expectRefusal(t.db, 'validation_failed', (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId: tabled }));
    await expectRefusal(t.db, 'validation_failed', (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId: tabled, topicIds: [999_999] }));
    await expectRefusal(t.db, 'validation_failed', (trx) => clerkEditQuestion(trx, w.actors.clerk, { questionId: tabled, title: 'x'.repeat(301) }));
  });
});

describe('moveQuestion', () => {
  test('the clerk moves a tabled or accepted question to a later meeting', async () => {
    const tabled = await tabledQuestion(t.db, w);
    await run(t.db, (trx) => moveQuestion(trx, w.actors.clerk, { questionId: tabled, meetingId: w.meetings.later.id }));
    assert.equal((await question(tabled)).meeting_id, w.meetings.later.id);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', tabled).where('action', '=', 'question.moved').executeTakeFirstOrThrow();
    assert.deepEqual(audit.details, { fromMeetingId: w.meetings.future.id, toMeetingId: w.meetings.later.id });
    const { questionId } = await acceptedQuestion(t.db, w);
    await run(t.db, (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: w.meetings.closing.id }));
    assert.equal((await question(questionId)).meeting_id, w.meetings.closing.id);
  });

  test('refusals change nothing', async () => {
    const { questionId } = await acceptedQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => moveQuestion(trx, w.actors.member, { questionId, meetingId: w.meetings.later.id }));
    await expectRefusal(t.db, 'conflict', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: w.meetings.held.id }));
    await expectRefusal(t.db, 'conflict', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: w.meetings.cancelled.id }));
    const same = await expectRefusal(t.db, 'validation_failed', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: w.meetings.future.id }));
    assert.deepEqual(same.fields, { meetingId: 'The question is already for that meeting' });
    await expectRefusal(t.db, 'validation_failed', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: 999_999 }));
    const elsewhere = await createWorld(t.db, now);
    await expectRefusal(t.db, 'validation_failed', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: elsewhere.meetings.later.id }));

    await t.db.insertInto('order_paper_entries').values({ meeting_id: w.meetings.future.id, question_id: questionId, position: 1 }).execute();
    const onPaper = await expectRefusal(t.db, 'conflict', (trx) => moveQuestion(trx, w.actors.clerk, { questionId, meetingId: w.meetings.later.id }));
    assert.match(onPaper.message, /Priority Order Paper/);
  });
});

describe('markAsked', () => {
  test('after the meeting: asked on the meeting day, written answers due by the statutory deadline, oral ones by whether reached', async () => {
    const world = await createWorld(t.db, now);
    const meeting = world.meetings.future;
    const written = await acceptedQuestion(t.db, world, { type: 'written' });
    const reached = await acceptedQuestion(t.db, world, { type: 'oral' });
    const notReached = await acceptedQuestion(t.db, world, { type: 'oral', asker: world.actors.otherMember });
    const fromPaper = await acceptedQuestion(t.db, world, { type: 'oral', asker: world.actors.otherMember });
    const stillTabled = await tabledQuestion(t.db, world);
    await t.db.insertInto('order_paper_entries').values({ meeting_id: meeting.id, question_id: fromPaper.questionId, position: 4, reached: false }).execute();

    await expectRefusal(t.db, 'conflict', (trx) => markAsked(trx, world.actors.clerk, { meetingId: meeting.id }, { now }));
    const after = noonAfter(meeting.meetsOn, 1);
    await expectRefusal(t.db, 'forbidden', (trx) => markAsked(trx, world.actors.member, { meetingId: meeting.id }, { now: after }));
    const unsaid = await expectRefusal(t.db, 'validation_failed', (trx) =>
      markAsked(trx, world.actors.clerk, { meetingId: meeting.id, reachedQuestionIds: [reached.questionId] }, { now: after }),
    );
    assert.deepEqual(unsaid.fields, { reachedQuestionIds: `Say whether oral question ${notReached.reference} was reached at the meeting` });
    await expectRefusal(t.db, 'validation_failed', (trx) =>
      markAsked(trx, world.actors.clerk, { meetingId: meeting.id, reachedQuestionIds: [written.questionId] }, { now: after }),
    );
    await expectRefusal(t.db, 'validation_failed', (trx) =>
      markAsked(trx, world.actors.clerk, { meetingId: meeting.id, reachedQuestionIds: [reached.questionId], notReachedQuestionIds: [reached.questionId] }, { now: after }),
    );

    const result = await run(t.db, (trx) =>
      markAsked(trx, world.actors.clerk, { meetingId: meeting.id, reachedQuestionIds: [reached.questionId], notReachedQuestionIds: [notReached.questionId] }, { now: after }),
    );
    const due = statutoryDeadline(meeting.meetsOn, 3);
    assert.deepEqual(
      result.questions.map((q) => [q.questionId, q.askedOn, q.dueOn, q.notReached]),
      [
        [written.questionId, meeting.meetsOn, due, false],
        [reached.questionId, meeting.meetsOn, null, false],
        [notReached.questionId, meeting.meetsOn, due, true],
        [fromPaper.questionId, meeting.meetsOn, due, true],
      ],
    );
    for (const q of result.questions) {
      const row = await question(q.questionId);
      assert.deepEqual([row.state, row.asked_on, row.due_on, row.not_reached], ['accepted', q.askedOn, q.dueOn, q.notReached]);
      assert.deepEqual((await auditActions(t.db, 'question', q.questionId)).slice(-1), ['question.asked']);
    }
    assert.equal((await question(stillTabled)).asked_on, null);
    const again = await expectRefusal(t.db, 'conflict', (trx) => markAsked(trx, world.actors.clerk, { meetingId: meeting.id }, { now: after }));
    assert.match(again.message, /no accepted questions/);
    // Asked questions stay where they were asked.
    await expectRefusal(t.db, 'conflict', (trx) => moveQuestion(trx, world.actors.clerk, { questionId: written.questionId, meetingId: world.meetings.later.id }, { now: after }));
  });

  test("the deadline follows the assembly's rules", async () => {
    const world = await createWorld(t.db, now);
    await t.db.updateTable('assembly_rules').set({ answer_deadline_working_days: 5 }).where('assembly_id', '=', world.assemblyId).execute();
    await acceptedQuestion(t.db, world);
    const result = await run(t.db, (trx) => markAsked(trx, world.actors.clerk, { meetingId: world.meetings.future.id }, { now: noonAfter(world.meetings.future.meetsOn, 0) }));
    assert.equal(result.questions[0]?.dueOn, statutoryDeadline(world.meetings.future.meetsOn, 5));
  });

  test('refusals change nothing', async () => {
    await expectRefusal(t.db, 'not_found', (trx) => markAsked(trx, w.actors.clerk, { meetingId: 999_999 }));
    await expectRefusal(t.db, 'conflict', (trx) => markAsked(trx, w.actors.clerk, { meetingId: w.meetings.cancelled.id }, { now: noonAfter(w.meetings.cancelled.meetsOn, 1) }));
    await expectRefusal(t.db, 'validation_failed', (trx) => markAsked(trx, w.actors.clerk, { meetingId: -1 }));
  });
});
