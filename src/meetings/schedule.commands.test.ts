import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonDateTime } from '../calendar/london-time.ts';
import { isAppError, type AppError } from '../errors/app-error.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { createWorld, run, type World } from '../workflow/test-factories.ts';
import { cancelMeeting, ConfirmationRequired, parseClockTime, rescheduleMeeting, scheduleMeeting } from './schedule.commands.ts';
import type { Db } from '../db/database.ts';

let t: TestDatabase;
let w: World;
/** Monday 1 March 2027, 9am: the world's own MQTs fall in March and April 2027. */
const now = londonDateTime('2027-03-01', '09:00');
const opts = { now };

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
});
after(async () => {
  await t.close();
});

const meetingRow = (id: number) => t.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (id: number) =>
  t.db.selectFrom('audit_events').select(['action', 'from_state', 'to_state', 'details', 'actor_id']).where('record_type', '=', 'meeting').where('record_id', '=', id).orderBy('id').execute();

/** Everything scheduling writes, to prove a refusal wrote nothing. */
async function calendarSnapshot(): Promise<string> {
  const meetings = await t.db.selectFrom('meetings').selectAll().orderBy('id').execute();
  const audit = await t.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
  return JSON.stringify({ meetings, audit });
}

/** Runs a command that must be refused, committing whatever it did before refusing; returns the error. */
async function refused(code: string, command: (trx: Db) => Promise<unknown>): Promise<AppError> {
  const before = await calendarSnapshot();
  const error = await run(t.db, async (trx) => {
    try {
      await command(trx);
    } catch (caught) {
      return caught;
    }
    return undefined;
  });
  if (!isAppError(error)) assert.fail(`expected a ${code} refusal, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.equal(await calendarSnapshot(), before, 'the refused command changed the calendar');
  return error;
}

const mqt = (meetsOn: string, extra: Record<string, unknown> = {}) => ({
  meetingType: 'mqt' as const,
  meetsOn,
  startTime: '10:00',
  endTime: '12:30',
  place: 'The Chamber, City Hall',
  ...extra,
});

describe('times as people type them', () => {
  test('24-hour, dotted, am and pm, noon', () => {
    assert.equal(parseClockTime('10:00'), '10:00');
    assert.equal(parseClockTime('9:30'), '09:30');
    assert.equal(parseClockTime('14.30'), '14:30');
    assert.equal(parseClockTime('2pm'), '14:00');
    assert.equal(parseClockTime('2:30 PM'), '14:30');
    assert.equal(parseClockTime('12am'), '00:00');
    assert.equal(parseClockTime('12:15pm'), '12:15');
    assert.equal(parseClockTime('noon'), '12:00');
  });
  test('not times', () => {
    for (const bad of ['', '14', '25:00', '10:60', '13pm', '0am', 'ten', '10:5']) assert.equal(parseClockTime(bad), undefined, bad);
  });
});

describe('scheduling', () => {
  test('an MQT with the defaults: cut-off seven working days before at noon, report three clear working days before', async () => {
    const result = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-06-16'), opts));
    assert.equal(result.slug, 'mqt-2027-06-16');
    const row = await meetingRow(result.meetingId);
    assert.equal(row.title, "Mayor's Question Time");
    assert.equal(row.assembly_id, w.assemblyId);
    assert.equal(row.starts_at.toISOString(), '2027-06-16T09:00:00.000Z');
    assert.equal(row.ends_at?.toISOString(), '2027-06-16T11:30:00.000Z');
    assert.equal(row.tabling_cutoff_at.toISOString(), londonDateTime('2027-06-07', '12:00').toISOString());
    assert.equal(row.mayors_report_due_on, '2027-06-10');
    assert.equal(row.state, 'scheduled');
    const audit = await auditOf(result.meetingId);
    assert.deepEqual(audit.map((a) => a.action), ['meeting.scheduled']);
    assert.equal(audit[0]?.actor_id, w.actors.clerk.userId);
    assert.deepEqual((audit[0]?.details as { confirmedWarnings: unknown[] }).confirmedWarnings, []);
  });

  test('a plenary has no Mayor’s report deadline, and a second one that day in another room gets its own slug', async () => {
    const first = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, { ...mqt('2027-09-08'), meetingType: 'plenary', mayorsReportDueOn: '2027-09-01' }, opts));
    const second = await run(t.db, (trx) =>
      scheduleMeeting(trx, w.actors.clerk, { ...mqt('2027-09-08'), meetingType: 'plenary', place: 'Committee Room 1', startTime: '2pm', endTime: '4pm' }, opts),
    );
    assert.equal(first.slug, 'plenary-2027-09-08');
    assert.equal(second.slug, 'plenary-2027-09-08-2');
    assert.equal((await meetingRow(first.meetingId)).mayors_report_due_on, null);
    assert.equal((await meetingRow(second.meetingId)).starts_at.toISOString(), '2027-09-08T13:00:00.000Z');
  });

  test('a warning must be confirmed by its code; the audit event records what was confirmed', async () => {
    await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-10-06'), opts));
    const error = await refused('conflict', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-10-27'), opts));
    assert.ok(error instanceof ConfirmationRequired);
    assert.deepEqual(
      error.warnings.map((x) => x.message),
      ['MQTs must be at least 28 days apart: the previous MQT is on Wednesday 6 October 2027, 21 days before'],
    );
    // A confirmation of something else does not do.
    await refused('conflict', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-10-27', { confirmWarnings: ['mqt_min_gap:2027-10-06:20'] }), opts));
    const codes = error.warnings.map((x) => x.code);
    const result = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-10-27', { confirmWarnings: codes }), opts));
    const audit = await auditOf(result.meetingId);
    assert.deepEqual((audit[0]?.details as { confirmedWarnings: { code: string; rule: string }[] }).confirmedWarnings.map((c) => [c.code, c.rule]), [
      ['mqt_min_gap:2027-10-06:21', 'mqt_min_gap'],
    ]);
  });

  test('hard errors refuse and write nothing: past, cut-off after the start, ends first, same room at the same time', async () => {
    const past = await refused('validation_failed', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-02-17'), opts));
    assert.match(past.fields?.meetsOn ?? '', /^The meeting must be in the future/);
    const cutoff = await refused('validation_failed', (trx) =>
      scheduleMeeting(trx, w.actors.clerk, mqt('2027-11-17', { tablingCutoffOn: '2027-11-18', tablingCutoffTime: '09:00' }), opts),
    );
    assert.match(cutoff.fields?.tablingCutoffOn ?? '', /^The tabling cut-off must be before the meeting starts/);
    const ends = await refused('validation_failed', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-11-17', { startTime: '14:00', endTime: '13:00' }), opts));
    assert.match(ends.fields?.endTime ?? '', /must end after it starts/);
    await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, { ...mqt('2027-12-01'), meetingType: 'budget' }, opts));
    const clash = await refused('validation_failed', (trx) =>
      scheduleMeeting(trx, w.actors.clerk, { ...mqt('2027-12-01'), meetingType: 'plenary', place: 'the chamber, city hall', startTime: '11:00', endTime: '13:00' }, opts),
    );
    assert.equal(clash.fields?.startTime, 'The Chamber, City Hall is already booked at that time: Budget meeting on Wednesday 1 December 2027, 10:00am to 12:30pm');
  });

  test('bad input names its field', async () => {
    const error = await refused('validation_failed', (trx) =>
      scheduleMeeting(trx, w.actors.clerk, { meetingType: 'party' as never, meetsOn: '2027-02-30', startTime: 'soon', endTime: '', place: '  ' }, opts),
    );
    assert.deepEqual(Object.keys(error.fields ?? {}).sort(), ['endTime', 'meetingType', 'meetsOn', 'place', 'startTime']);
    assert.equal(error.fields?.meetsOn, 'The date of the meeting must be a real date');
    assert.equal(error.fields?.startTime, 'Enter the start time as a time of day, for example 10:00 or 2:30pm');
    const cutoffTime = await refused('validation_failed', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2027-11-17', { tablingCutoffTime: '10:00' }), opts));
    assert.equal(cutoffTime.fields?.tablingCutoffOn, 'Enter the date of the tabling cut-off as well as its time');
    const far = await refused('validation_failed', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2036-06-18'), opts));
    assert.match(far.fields?.meetsOn ?? '', /between 2000 and 2035/);
  });

  test('only the clerk schedules', async () => {
    for (const actor of [w.actors.member, w.actors.approver, w.actors.admin]) {
      await refused('forbidden', (trx) => scheduleMeeting(trx, actor, mqt('2027-11-17'), opts));
    }
  });
});

describe('rescheduling and cancelling', () => {
  test('moving a meeting keeps its slug, records from and to, and checks the rules without counting itself', async () => {
    const { meetingId } = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-01-19'), opts));
    const moved = await run(t.db, (trx) => rescheduleMeeting(trx, w.actors.clerk, { meetingId, ...mqt('2028-01-26', { startTime: '14:00', endTime: '16:30' }) }, opts));
    assert.deepEqual(moved.changed.sort(), ['endsAt', 'mayorsReportDueOn', 'meetsOn', 'startsAt', 'tablingCutoffAt']);
    const row = await meetingRow(meetingId);
    assert.equal(row.slug, 'mqt-2028-01-19');
    assert.equal(row.meets_on, '2028-01-26');
    const audit = await auditOf(meetingId);
    assert.deepEqual(audit.map((a) => a.action), ['meeting.scheduled', 'meeting.rescheduled']);
    assert.deepEqual((audit[1]?.details as { changes: Record<string, unknown> }).changes.meetsOn, { from: '2028-01-19', to: '2028-01-26' });
    // The same again: nothing changed, nothing recorded.
    const same = await run(t.db, (trx) => rescheduleMeeting(trx, w.actors.clerk, { meetingId, ...mqt('2028-01-26', { startTime: '14:00', endTime: '16:30' }) }, opts));
    assert.deepEqual(same.changed, []);
    assert.equal((await auditOf(meetingId)).length, 2);
  });

  test('a breach confirmed when scheduling is not asked about again; a new breach is', async () => {
    await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-03-01'), opts));
    const warned = await refused('conflict', (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-03-22'), opts));
    const codes = (warned as ConfirmationRequired).warnings.map((x) => x.code);
    const { meetingId } = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-03-22', { confirmWarnings: codes }), opts));
    await run(t.db, (trx) => rescheduleMeeting(trx, w.actors.clerk, { meetingId, ...mqt('2028-03-22', { place: 'Committee Room 2' }) }, opts));
    const closer = await refused('conflict', (trx) => rescheduleMeeting(trx, w.actors.clerk, { meetingId, ...mqt('2028-03-15') }, opts));
    assert.match(closer.message, /the previous MQT is on Wednesday 1 March 2028, 14 days before/);
  });

  test('cancelling needs a reason, is audited, and is refused twice and for held meetings', async () => {
    const { meetingId } = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-05-17'), opts));
    const noReason = await refused('validation_failed', (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId, reason: ' ' }, opts));
    assert.equal(noReason.fields?.reason, 'Enter the reason for cancelling the meeting');
    const result = await run(t.db, (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId, reason: 'The Mayor is abroad.' }, opts));
    assert.equal(result.questionsToMove, 0);
    assert.equal((await meetingRow(meetingId)).state, 'cancelled');
    const audit = await auditOf(meetingId);
    assert.deepEqual(audit.at(-1), { action: 'meeting.cancelled', from_state: 'scheduled', to_state: 'cancelled', details: { reason: 'The Mayor is abroad.' }, actor_id: w.actors.clerk.userId });
    await refused('conflict', (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId, reason: 'Again' }, opts));
    await refused('conflict', (trx) => rescheduleMeeting(trx, w.actors.clerk, { meetingId, ...mqt('2028-05-24') }, opts));
    await refused('conflict', (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId: w.meetings.held.id, reason: 'Too late' }, opts));
    await refused('not_found', (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId: 999_999, reason: 'Nothing' }, opts));
  });

  test('a meeting with questions tabled for it says how many to move when cancelled', async () => {
    const { meetingId } = await run(t.db, (trx) => scheduleMeeting(trx, w.actors.clerk, mqt('2028-07-12'), opts));
    await t.db
      .insertInto('questions')
      .values({ question_type: 'written', state: 'tabled', title: 'Ferries', body: 'When?', asker_id: w.memberPersonId, meeting_id: meetingId, tabled_at: now })
      .execute();
    const result = await run(t.db, (trx) => cancelMeeting(trx, w.actors.clerk, { meetingId, reason: 'Moved to a plenary' }, opts));
    assert.equal(result.questionsToMove, 1);
  });
});
