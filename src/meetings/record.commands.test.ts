import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { isAppError, type AppError, type AppErrorCode } from '../errors/app-error.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { acceptedQuestion, auditActions, createWorld, run, type World } from '../workflow/test-factories.ts';
import { addSupplementary, addTranscriptTurn, publishOralAnswer, recordAttendance, recordReached, removeTranscriptTurn } from './record.commands.ts';
import { meetingRecordForClerk } from './record.queries.ts';
import { meetingToRecord, recordSnapshot, type MeetingToRecord } from './record.test-factories.ts';

let t: TestDatabase;
const now = new Date();

before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
});

/** A refusal that must leave every table as it was, even when the refusal is caught and the transaction committed. */
async function expectRecordRefusal(code: AppErrorCode, command: (trx: Db) => Promise<unknown>): Promise<AppError> {
  const before = await recordSnapshot(t.db);
  const error = await run(t.db, async (trx) => {
    try {
      await command(trx);
    } catch (caught) {
      return caught;
    }
    return undefined;
  });
  if (!isAppError(error)) assert.fail(`expected a ${code} refusal, got ${error instanceof Error ? error.stack : String(error)}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  assert.deepEqual(await recordSnapshot(t.db), before, `the refused command changed the database (${error.message})`);
  return error;
}

async function setUp(options: { orderPaper?: boolean } = {}): Promise<{ w: World; m: MeetingToRecord; clerk: Actor }> {
  const w = await createWorld(t.db, now);
  const m = await meetingToRecord(t.db, w, options);
  return { w, m, clerk: w.actors.clerk };
}

const attend = (w: World, m: MeetingToRecord, personIds = [w.mayorId, w.memberPersonId, w.otherMemberPersonId]) =>
  run(t.db, (trx) => recordAttendance(trx, w.actors.clerk, { meetingId: m.meetingId, personIds }, { now }));

const say = (w: World, m: MeetingToRecord, questionId: number, speakerId: number, text: string) =>
  run(t.db, (trx) => addTranscriptTurn(trx, w.actors.clerk, { meetingId: m.meetingId, questionId, speakerId, text }, { now }));

describe('recording a meeting', () => {
  test('attendance, turns, numbered supplementaries, reached and not reached, and the oral answers, each audited', async () => {
    const { w, m, clerk } = await setUp();
    const [q1, q2, q3] = m.oral;
    assert.ok(q1 && q2 && q3);
    const attendance = await attend(w, m);
    assert.deepEqual(attendance.added, [w.mayorId, w.memberPersonId, w.otherMemberPersonId].sort((a, b) => a - b));
    const rows = await t.db.selectFrom('meeting_attendance').select(['person_id', 'capacity']).where('meeting_id', '=', m.meetingId).orderBy('person_id').execute();
    assert.deepEqual(
      rows.map((r) => [r.person_id, r.capacity]),
      [
        [w.mayorId, 'mayor'],
        [w.memberPersonId, 'member'],
        [w.otherMemberPersonId, 'member'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    assert.deepEqual(await auditActions(t.db, 'meeting', m.meetingId), ['meeting.attendance_recorded']);
    // Saving the same list again changes nothing and audits nothing.
    assert.deepEqual(await attend(w, m), { meetingId: m.meetingId, added: [], removed: [] });
    assert.deepEqual(await auditActions(t.db, 'meeting', m.meetingId), ['meeting.attendance_recorded']);

    const asked = await say(w, m, q1.questionId, w.memberPersonId, 'Mayor, when will the bus lanes open?');
    await say(w, m, q1.questionId, w.mayorId, 'In the spring.');
    await say(w, m, q1.questionId, w.memberPersonId, 'Which spring?');
    await say(w, m, q1.questionId, w.mayorId, 'Next spring.');
    assert.equal(asked.speaker.capacity, 'member');
    assert.deepEqual(await auditActions(t.db, 'transcript', asked.id), ['transcript.turn_added']);

    const s1 = await run(t.db, (trx) => addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: q1.questionId, askerId: w.otherMemberPersonId, text: 'Will cyclists use them?' }, { now }));
    const s2 = await run(t.db, (trx) => addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: q1.questionId, askerId: w.memberPersonId, text: 'And taxis?' }, { now }));
    assert.deepEqual([s1.number, s1.title], [1, 'Bus lanes on the Ring Road (Supplementary) [1]']);
    assert.deepEqual([s2.number, s2.title], [2, 'Bus lanes on the Ring Road (Supplementary) [2]']);
    await say(w, m, s1.id, w.mayorId, 'Yes.');
    const sup = await t.db.selectFrom('questions').selectAll().where('id', '=', s1.id).executeTakeFirstOrThrow();
    assert.deepEqual(
      [sup.question_type, sup.state, sup.parent_question_id, sup.asker_id, sup.asked_on, sup.due_on, sup.reference_number, sup.body],
      ['supplementary', 'accepted', q1.questionId, w.otherMemberPersonId, m.meetsOn, null, null, 'Will cyclists use them?'],
    );
    assert.deepEqual(await auditActions(t.db, 'question', s1.id), ['question.supplementary_recorded']);
    // The supplementary's words are its first turn.
    assert.deepEqual(s1.turn.text, 'Will cyclists use them?');

    await say(w, m, q2.questionId, w.otherMemberPersonId, 'Which police stations will close?');
    await say(w, m, q2.questionId, w.mayorId, 'None this year.');

    const marked = await run(t.db, (trx) =>
      recordReached(trx, clerk, { meetingId: m.meetingId, reachedQuestionIds: [q1.questionId, q2.questionId], notReachedQuestionIds: [q3.questionId] }, { now }),
    );
    const due = statutoryDeadline(m.meetsOn, 3);
    const byId = new Map(marked.questions.map((q) => [q.questionId, q]));
    assert.deepEqual(byId.get(q1.questionId), { questionId: q1.questionId, reference: q1.reference, askedOn: m.meetsOn, dueOn: null, notReached: false });
    assert.deepEqual(byId.get(q3.questionId), { questionId: q3.questionId, reference: q3.reference, askedOn: m.meetsOn, dueOn: due, notReached: true });
    assert.deepEqual(byId.get(m.written.questionId)?.dueOn, due);
    const paper = await t.db.selectFrom('order_paper_entries').select(['question_id', 'reached']).where('meeting_id', '=', m.meetingId).orderBy('position').execute();
    assert.deepEqual(paper.map((e) => e.reached), [true, true, false]);
    assert.deepEqual(await auditActions(t.db, 'order_paper', m.meetingId), ['order_paper.reached_recorded']);

    const answer = await run(t.db, (trx) => publishOralAnswer(trx, clerk, { meetingId: m.meetingId, questionId: q1.questionId }, { now }));
    assert.equal(answer.text, 'In the spring.\n\nNext spring.');
    assert.deepEqual(answer.answeredBy, { id: w.mayorId, name: answer.answeredBy.name, label: 'Mayor of Wexbridge' });
    const version = await t.db.selectFrom('answer_versions').selectAll().where('id', '=', answer.answerVersionId).executeTakeFirstOrThrow();
    assert.deepEqual([version.kind, version.delivery, version.version, version.question_id], ['substantive', 'oral', 1, q1.questionId]);
    assert.deepEqual(await auditActions(t.db, 'answer_version', answer.answerVersionId), ['answer_version.published']);

    // Once published, the exchange (and its supplementaries) is fixed.
    await expectRecordRefusal('conflict', (trx) => addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: q1.questionId, speakerId: w.mayorId, text: 'One more thing.' }, { now }));
    await expectRecordRefusal('conflict', (trx) => addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: s1.id, speakerId: w.mayorId, text: 'And another.' }, { now }));
    await expectRecordRefusal('conflict', (trx) => removeTranscriptTurn(trx, clerk, { meetingId: m.meetingId, turnId: asked.id }, { now }));
    await expectRecordRefusal('conflict', (trx) => addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: q1.questionId, askerId: w.memberPersonId, text: 'Late.' }, { now }));
    await expectRecordRefusal('conflict', (trx) => publishOralAnswer(trx, clerk, { meetingId: m.meetingId, questionId: q1.questionId }, { now }));
    // Not reached: no transcript, no oral answer.
    await expectRecordRefusal('conflict', (trx) => addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: q3.questionId, speakerId: w.mayorId, text: 'Lights.' }, { now }));
    await expectRecordRefusal('conflict', (trx) => publishOralAnswer(trx, clerk, { meetingId: m.meetingId, questionId: q3.questionId }, { now }));
  });

  test('a turn recorded in error is removed, and the removal keeps the words in the audit trail', async () => {
    const { w, m, clerk } = await setUp();
    await attend(w, m);
    const turn = await say(w, m, m.oral[0]!.questionId, w.mayorId, 'Said in error.');
    await run(t.db, (trx) => removeTranscriptTurn(trx, clerk, { meetingId: m.meetingId, turnId: turn.id }, { now }));
    assert.equal((await t.db.selectFrom('transcript_turns').select('id').where('id', '=', turn.id).execute()).length, 0);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'transcript').where('record_id', '=', turn.id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['transcript.turn_added', 'transcript.turn_removed']);
    assert.equal((audit[1]?.details as { text: string }).text, 'Said in error.');
    await expectRecordRefusal('not_found', (trx) => removeTranscriptTurn(trx, clerk, { meetingId: m.meetingId, turnId: turn.id }, { now }));
  });
});

describe('bad input changes nothing', () => {
  test('a transcript turn by someone who was not at the meeting', async () => {
    const { w, m, clerk } = await setUp();
    await attend(w, m);
    const error = await expectRecordRefusal('validation_failed', (trx) =>
      addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: m.oral[0]!.questionId, speakerId: w.deputyMayorId, text: 'I was not there.' }, { now }),
    );
    assert.match(error.fields?.speakerId ?? '', /Tom Ellery was not at this meeting/);
    const nobody = await expectRecordRefusal('validation_failed', (trx) =>
      addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: m.oral[0]!.questionId, speakerId: 2_000_000_000, text: 'Who?' }, { now }),
    );
    assert.match(nobody.fields?.speakerId ?? '', /Choose who spoke/);
    const empty = await expectRecordRefusal('validation_failed', (trx) =>
      addTranscriptTurn(trx, clerk, { meetingId: m.meetingId, questionId: m.oral[0]!.questionId, speakerId: w.mayorId, text: '   ' }, { now }),
    );
    assert.match(empty.fields?.text ?? '', /Enter what was said/);
  });

  test('a supplementary without an oral question', async () => {
    const { w, m, clerk } = await setUp();
    await attend(w, m);
    const missing = await expectRecordRefusal('validation_failed', (trx) =>
      addSupplementary(trx, clerk, { meetingId: m.meetingId, askerId: w.memberPersonId, text: 'Follow-up?' } as never, { now }),
    );
    assert.match(missing.fields?.oralQuestionId ?? '', /Choose the oral question the supplementary follows/);
    const written = await expectRecordRefusal('validation_failed', (trx) =>
      addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: m.written.questionId, askerId: w.memberPersonId, text: 'Follow-up?' }, { now }),
    );
    assert.match(written.fields?.oralQuestionId ?? '', /follows an oral question/);
    const s = await run(t.db, (trx) => addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: m.oral[0]!.questionId, askerId: w.memberPersonId, text: 'Fine.' }, { now }));
    await expectRecordRefusal('validation_failed', (trx) =>
      addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: s.id, askerId: w.memberPersonId, text: 'A supplementary to a supplementary?' }, { now }),
    );
    const mayor = await expectRecordRefusal('validation_failed', (trx) =>
      addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: m.oral[0]!.questionId, askerId: w.mayorId, text: 'Asking myself.' }, { now }),
    );
    assert.match(mayor.fields?.askerId ?? '', /asked by members/);
    const absent = await expectRecordRefusal('validation_failed', (trx) =>
      addSupplementary(trx, clerk, { meetingId: m.meetingId, oralQuestionId: m.oral[0]!.questionId, askerId: w.deputyMayorId, text: 'Absent.' }, { now }),
    );
    assert.match(absent.fields?.askerId ?? '', /was not at this meeting/);
  });

  test('nothing is recorded for a meeting not yet held, or cancelled', async () => {
    const w = await createWorld(t.db, now);
    const { questionId } = await acceptedQuestion(t.db, w, { type: 'oral', meeting: w.meetings.future });
    for (const meeting of [w.meetings.future, w.meetings.cancelled]) {
      const pattern = meeting === w.meetings.future ? /has not been held yet/ : /cancelled/;
      const e1 = await expectRecordRefusal('conflict', (trx) => recordAttendance(trx, w.actors.clerk, { meetingId: meeting.id, personIds: [w.mayorId] }, { now }));
      assert.match(e1.message, pattern);
      const e2 = await expectRecordRefusal('conflict', (trx) => addTranscriptTurn(trx, w.actors.clerk, { meetingId: meeting.id, questionId, speakerId: w.mayorId, text: 'Early.' }, { now }));
      assert.match(e2.message, pattern);
    }
  });

  test('only the clerk records; unknown meetings are not found', async () => {
    const { w, m } = await setUp();
    for (const actor of [w.actors.member, w.actors.approver, w.actors.admin]) {
      await expectRecordRefusal('forbidden', (trx) => recordAttendance(trx, actor, { meetingId: m.meetingId, personIds: [w.mayorId] }, { now }));
      await expectRecordRefusal('forbidden', (trx) => addTranscriptTurn(trx, actor, { meetingId: m.meetingId, questionId: m.oral[0]!.questionId, speakerId: w.mayorId, text: 'x' }, { now }));
    }
    await expectRecordRefusal('not_found', (trx) => recordAttendance(trx, w.actors.clerk, { meetingId: 2_000_000_000, personIds: [] }, { now }));
  });

  test('attendance: only members and office holders of the day; a speaker stays on the list', async () => {
    const { w, m, clerk } = await setUp();
    const stranger = await t.db.insertInto('people').values({ slug: `stranger-${w.tag}`, name: 'Sid Stranger' }).returning('id').executeTakeFirstOrThrow();
    const e = await expectRecordRefusal('validation_failed', (trx) => recordAttendance(trx, clerk, { meetingId: m.meetingId, personIds: [w.mayorId, stranger.id] }, { now }));
    assert.match(e.fields?.personIds ?? '', /Sid Stranger was not a member or office holder/);
    await attend(w, m);
    await say(w, m, m.oral[0]!.questionId, w.memberPersonId, 'My question.');
    const kept = await expectRecordRefusal('validation_failed', (trx) => recordAttendance(trx, clerk, { meetingId: m.meetingId, personIds: [w.mayorId] }, { now }));
    assert.match(kept.fields?.personIds ?? '', /Priya Okafor spoke at the meeting/);
  });

  test('reached and not reached: a question with a transcript was reached; publishing needs the answer on the record', async () => {
    const { w, m, clerk } = await setUp();
    const [q1, q2, q3] = m.oral;
    await attend(w, m);
    await say(w, m, q1!.questionId, w.memberPersonId, 'Question only.');
    await expectRecordRefusal('conflict', (trx) => publishOralAnswer(trx, clerk, { meetingId: m.meetingId, questionId: q1!.questionId }, { now }));
    const e = await expectRecordRefusal('validation_failed', (trx) =>
      recordReached(trx, clerk, { meetingId: m.meetingId, reachedQuestionIds: [q2!.questionId], notReachedQuestionIds: [q1!.questionId, q3!.questionId] }, { now }),
    );
    assert.match(e.fields?.notReachedQuestionIds ?? '', new RegExp(`transcript.*${q1!.reference.replace('/', '\\/')}`));
    await run(t.db, (trx) => recordReached(trx, clerk, { meetingId: m.meetingId, reachedQuestionIds: [q1!.questionId, q2!.questionId], notReachedQuestionIds: [q3!.questionId] }, { now }));
    // Reached, but only the member spoke: there is no answer to publish.
    const none = await expectRecordRefusal('conflict', (trx) => publishOralAnswer(trx, clerk, { meetingId: m.meetingId, questionId: q1!.questionId }, { now }));
    assert.match(none.message, /Nobody answering for the executive/);
  });
});

test('without a Priority Order Paper the clerk records the accepted oral questions in reference order', async () => {
  const { m } = await setUp({ orderPaper: false });
  const record = await meetingRecordForClerk(t.db, m.meetingId, now);
  assert.deepEqual(
    record.oral.map((q) => [q.id, q.position]),
    m.oral.map((q) => [q.questionId, null]),
  );
  assert.equal(record.waitingWritten, 1);
  assert.equal(record.writtenDeadline, statutoryDeadline(m.meetsOn, 3));
  assert.equal(record.closedBecause, null);
});
