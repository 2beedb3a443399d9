import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { londonDateTime } from '../calendar/london-time.ts';
import type { MeetingType } from '../db/schema.ts';
import {
  allConfirmed,
  checkSchedule,
  clearWorkingDaysBetween,
  defaultMayorsReportDueOn,
  defaultTablingCutoffAt,
  LONDON_SCHEDULING_RULES as RULES,
  meetingSlug,
  placeKey,
  workingDaysBefore,
  type ProposedMeeting,
  type ScheduledMeeting,
  type ScheduleCheck,
} from './scheduling-rules.ts';

const CHAMBER = 'The Chamber, City Hall';
/** Monday 1 June 2026, 9am in London: before every meeting below unless a test says otherwise. */
const NOW = londonDateTime('2026-06-01', '09:00');

/** A proposal on a day, 10:00 to 12:30 in the Chamber, with the default cut-off and report deadline. */
function proposal(meetsOn: string, overrides: Partial<ProposedMeeting> & { start?: string; end?: string | null } = {}): ProposedMeeting {
  const { start = '10:00', end = '12:30', ...rest } = overrides;
  return {
    type: 'mqt',
    meetsOn,
    startsAt: londonDateTime(meetsOn, start),
    endsAt: end === null ? null : londonDateTime(meetsOn, end),
    place: CHAMBER,
    mayorsReportDueOn: null,
    ...rest,
    tablingCutoffAt: rest.tablingCutoffAt ?? defaultTablingCutoffAt(meetsOn, RULES),
  };
}

let nextId = 1;
function meeting(meetsOn: string, overrides: Partial<ScheduledMeeting> & { start?: string; end?: string | null } = {}): ScheduledMeeting {
  const { start = '10:00', end = '12:30', ...rest } = overrides;
  const type: MeetingType = rest.type ?? 'mqt';
  return {
    id: nextId++,
    title: type === 'mqt' ? "Mayor's Question Time" : 'Plenary',
    type,
    meetsOn,
    startsAt: londonDateTime(meetsOn, start),
    endsAt: end === null ? null : londonDateTime(meetsOn, end),
    place: CHAMBER,
    state: 'scheduled',
    ...rest,
  };
}

const check = (p: ProposedMeeting, existing: ScheduledMeeting[] = [], options: { now?: Date; elections?: string[]; rules?: typeof RULES } = {}) =>
  checkSchedule(p, existing, options.rules ?? RULES, { now: options.now ?? NOW, elections: options.elections ?? [] });
const messages = (c: ScheduleCheck) => ({ errors: c.errors.map((e) => e.message), warnings: c.warnings.map((w) => w.message) });
const rules = (c: ScheduleCheck) => ({ errors: c.errors.map((e) => e.rule), warnings: c.warnings.map((w) => w.rule) });
const clean = { errors: [], warnings: [] };

describe('defaults from the working-day calendar', () => {
  test("the Mayor's report is due three clear working days before: Thursday for a Wednesday meeting", () => {
    // Wednesday 17 June 2026: the clear days are Friday 12, Monday 15 and Tuesday 16 June.
    assert.equal(defaultMayorsReportDueOn('2026-06-17', RULES), '2026-06-11');
    assert.equal(clearWorkingDaysBetween('2026-06-11', '2026-06-17'), 3);
  });

  test('a bank holiday is not a clear working day', () => {
    // Wednesday 27 May 2026 follows the spring bank holiday (Monday 25 May): clear days 21, 22 and 26 May.
    assert.equal(defaultMayorsReportDueOn('2026-05-27', RULES), '2026-05-20');
    assert.equal(clearWorkingDaysBetween('2026-05-20', '2026-05-27'), 3);
    // Across new year: Wednesday 6 January 2027; 1 January is a holiday, so the clear days are 31 December, 4 and 5 January.
    assert.equal(defaultMayorsReportDueOn('2027-01-06', RULES), '2026-12-30');
    assert.equal(clearWorkingDaysBetween('2026-12-30', '2027-01-06'), 3);
  });

  test('no clear working days asked for: the last working day before the meeting day', () => {
    assert.equal(defaultMayorsReportDueOn('2026-06-17', { mayorsReportClearWorkingDays: 0 }), '2026-06-16');
    // A Monday meeting with none: the Friday before.
    assert.equal(defaultMayorsReportDueOn('2026-06-15', { mayorsReportClearWorkingDays: 0 }), '2026-06-12');
  });

  test('the tabling cut-off is seven working days before, at noon London time (BST in summer)', () => {
    assert.equal(workingDaysBefore('2026-06-17', 7), '2026-06-08');
    assert.equal(defaultTablingCutoffAt('2026-06-17', RULES).toISOString(), '2026-06-08T11:00:00.000Z');
    // In winter noon is noon GMT; Good Friday and Easter Monday 2026 (3 and 6 April) are skipped.
    assert.equal(workingDaysBefore('2026-04-15', 7), '2026-04-02');
    assert.equal(defaultTablingCutoffAt('2026-02-11', RULES).toISOString(), '2026-02-02T12:00:00.000Z');
  });
});

describe('MQTs at least 28 days apart', () => {
  test('21 days after the previous MQT: a warning naming the rule, the date and the gap', () => {
    const result = check(proposal('2026-06-24'), [meeting('2026-06-03')]);
    assert.deepEqual(messages(result), {
      errors: [],
      warnings: ['MQTs must be at least 28 days apart: the previous MQT is on Wednesday 3 June 2026, 21 days before'],
    });
    assert.equal(result.warnings[0]?.rule, 'mqt_min_gap');
    assert.equal(result.warnings[0]?.code, 'mqt_min_gap:2026-06-03:21');
    assert.equal(result.warnings[0]?.field, 'meetsOn');
  });

  test('exactly 28 days is fine; 27 is not', () => {
    assert.deepEqual(rules(check(proposal('2026-07-01'), [meeting('2026-06-03')])), clean);
    assert.deepEqual(messages(check(proposal('2026-06-30'), [meeting('2026-06-03')])).warnings, [
      'MQTs must be at least 28 days apart: the previous MQT is on Wednesday 3 June 2026, 27 days before',
    ]);
  });

  test('too close to the next MQT as well as the previous one: two warnings, nearest on each side', () => {
    const result = check(proposal('2026-07-01'), [meeting('2026-06-03'), meeting('2026-06-17'), meeting('2026-07-15'), meeting('2026-08-12')]);
    assert.deepEqual(messages(result).warnings, [
      'MQTs must be at least 28 days apart: the previous MQT is on Wednesday 17 June 2026, 14 days before',
      'MQTs must be at least 28 days apart: the next MQT is on Wednesday 15 July 2026, 14 days after',
    ]);
  });

  test('another MQT the same day (in another room): "the same day"', () => {
    const result = check(proposal('2026-06-17', { start: '14:00', end: '16:00', place: 'Committee Room 1' }), [meeting('2026-06-17')]);
    assert.deepEqual(messages(result).warnings, ['MQTs must be at least 28 days apart: the previous MQT is on Wednesday 17 June 2026, the same day']);
  });

  test('cancelled MQTs and other kinds of meeting do not count', () => {
    const existing = [meeting('2026-06-10', { state: 'cancelled' }), meeting('2026-06-12', { type: 'plenary', place: 'Committee Room 2' })];
    assert.deepEqual(rules(check(proposal('2026-06-17'), existing)), clean);
  });

  test('a held MQT counts like a scheduled one', () => {
    const result = check(proposal('2026-06-17'), [meeting('2026-06-03', { state: 'held' })], { now: londonDateTime('2026-06-05', '09:00') });
    assert.deepEqual(rules(result).warnings, ['mqt_min_gap']);
  });

  test('the gap is the assembly’s number, not a constant', () => {
    const fortnight = { ...RULES, minDaysBetweenMqt: 14 };
    assert.deepEqual(rules(check(proposal('2026-06-24'), [meeting('2026-06-03')], { rules: fortnight })), clean);
    assert.deepEqual(messages(check(proposal('2026-06-16'), [meeting('2026-06-03')], { rules: fortnight })).warnings, [
      'MQTs must be at least 14 days apart: the previous MQT is on Wednesday 3 June 2026, 13 days before',
    ]);
  });

  test('plenaries, budget and police and crime meetings are not held to the MQT rules', () => {
    for (const type of ['plenary', 'budget', 'police_and_crime'] as const) {
      assert.deepEqual(rules(check(proposal('2026-06-24', { type, place: 'Committee Room 1' }), [meeting('2026-06-17')])), clean, type);
    }
  });
});

describe('ten MQTs a year', () => {
  const monthly = (year: number, months: number[]) => months.map((m) => meeting(`${year}-${String(m).padStart(2, '0')}-01`, { state: 'held' }));

  test('an eleventh MQT in the calendar year warns, counting this one', () => {
    const existing = monthly(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map((m) => ({ ...m, meetsOn: m.meetsOn }));
    const result = check(proposal('2026-12-09'), existing, { now: londonDateTime('2026-11-02', '09:00') });
    assert.deepEqual(messages(result).warnings, ['The assembly holds 10 MQTs a year: with this one, 2026 would have 11']);
    assert.equal(result.warnings[0]?.code, 'mqt_per_year:2026:11');
  });

  test('the tenth is fine, and other years’ MQTs are not counted', () => {
    const existing = [...monthly(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9]), ...monthly(2025, [11, 12]), ...monthly(2027, [1])];
    assert.deepEqual(rules(check(proposal('2026-11-04'), existing, { now: londonDateTime('2026-10-01', '09:00') })), clean);
  });

  test('cancelled MQTs do not use up the year', () => {
    const existing = [...monthly(2026, [1, 2, 3, 4, 5, 6, 7, 8, 9]), meeting('2026-10-07', { state: 'cancelled' })];
    assert.deepEqual(rules(check(proposal('2026-11-04'), existing, { now: londonDateTime('2026-10-01', '09:00') })), clean);
  });
});

describe('the first MQT within 25 days of an election', () => {
  // Thursday 2 May 2024 was a mayoral election day.
  const election = '2024-05-02';
  const now = londonDateTime('2024-05-03', '09:00');

  test('40 days after the election, with no MQT since: a warning', () => {
    const result = check(proposal('2024-06-11'), [], { now, elections: [election] });
    assert.deepEqual(messages(result).warnings, [
      'The first MQT after an election must be within 25 days of it: the election was on Thursday 2 May 2024, 40 days before this meeting',
    ]);
    assert.equal(result.warnings[0]?.code, 'first_mqt_after_election:2024-05-02:40');
  });

  test('exactly 25 days after is within; 26 is not', () => {
    assert.deepEqual(rules(check(proposal('2024-05-27', { tablingCutoffAt: londonDateTime('2024-05-16', '12:00') }), [], { now, elections: [election] })).warnings, []);
    assert.deepEqual(rules(check(proposal('2024-05-28'), [], { now, elections: [election] })).warnings, ['first_mqt_after_election']);
  });

  test('not the first MQT since the election: no warning', () => {
    assert.deepEqual(rules(check(proposal('2024-06-26'), [meeting('2024-05-22')], { now, elections: [election] })), clean);
  });

  test('an MQT before the election does not count as the first after it', () => {
    const result = check(proposal('2024-06-11'), [meeting('2024-04-10', { state: 'held' })], { now, elections: [election] });
    assert.deepEqual(rules(result).warnings, ['first_mqt_after_election']);
  });

  test('the most recent election is the one that matters; meetings before any election are not checked', () => {
    const elections = ['2021-05-06', election];
    assert.deepEqual(rules(check(proposal('2024-05-22'), [], { now, elections })).warnings, []);
    assert.deepEqual(rules(check(proposal('2021-03-17'), [], { now: londonDateTime('2021-01-04', '09:00'), elections: ['2021-05-06'] })), clean);
  });

  test('the number of days is configurable', () => {
    const result = check(proposal('2024-05-22'), [], { now, elections: [election], rules: { ...RULES, firstMqtWithinDaysOfElection: 14 } });
    assert.deepEqual(messages(result).warnings, [
      'The first MQT after an election must be within 14 days of it: the election was on Thursday 2 May 2024, 20 days before this meeting',
    ]);
  });
});

describe("the Mayor's report deadline", () => {
  test('a deadline leaving one clear working day: a warning with the latest allowed day', () => {
    const result = check(proposal('2026-06-17', { mayorsReportDueOn: '2026-06-15' }));
    assert.deepEqual(messages(result).warnings, [
      "The Mayor's report is due 3 clear working days before the meeting, so by Thursday 11 June 2026: the deadline given, Monday 15 June 2026, leaves 1 clear working day",
    ]);
    assert.equal(result.warnings[0]?.code, 'mayors_report_notice:2026-06-15:1');
    assert.equal(result.warnings[0]?.field, 'mayorsReportDueOn');
  });

  test('the default deadline, or an earlier one, is fine', () => {
    assert.deepEqual(rules(check(proposal('2026-06-17', { mayorsReportDueOn: '2026-06-11' }))), clean);
    assert.deepEqual(rules(check(proposal('2026-06-17', { mayorsReportDueOn: '2026-06-05' }))), clean);
    assert.deepEqual(rules(check(proposal('2026-06-17'))), clean);
  });

  test('due on the meeting day itself leaves no clear days: a warning, not an error', () => {
    assert.deepEqual(messages(check(proposal('2026-06-17', { mayorsReportDueOn: '2026-06-17' }))).warnings, [
      "The Mayor's report is due 3 clear working days before the meeting, so by Thursday 11 June 2026: the deadline given, Wednesday 17 June 2026, leaves 0 clear working days",
    ]);
  });

  test('due after the meeting: a hard error', () => {
    const result = check(proposal('2026-06-17', { mayorsReportDueOn: '2026-06-18' }));
    assert.deepEqual(messages(result), {
      errors: ["The Mayor's report must be due before the meeting: Thursday 18 June 2026 is after the meeting on Wednesday 17 June 2026"],
      warnings: [],
    });
  });
});

describe('the tabling cut-off', () => {
  test('later than the rule’s seven working days: a warning', () => {
    const result = check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-12', '17:00') }));
    assert.deepEqual(messages(result).warnings, [
      'Questions are tabled 7 working days before the meeting, so the cut-off should be on or before Monday 8 June 2026: the cut-off given is Friday 12 June 2026 at 5:00pm',
    ]);
    assert.equal(result.warnings[0]?.code, 'tabling_cutoff_notice:2026-06-12');
  });

  test('any time on the last allowed day, or earlier, is fine', () => {
    assert.deepEqual(rules(check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-08', '17:00') }))), clean);
    assert.deepEqual(rules(check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-03', '10:00') }))), clean);
  });

  test('after the start of the meeting: a hard error, and no warning about the same cut-off', () => {
    const result = check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-17', '11:00') }));
    assert.deepEqual(messages(result), {
      errors: ['The tabling cut-off must be before the meeting starts: the cut-off given is Wednesday 17 June 2026 at 11:00am, and the meeting starts Wednesday 17 June 2026 at 10:00am'],
      warnings: [],
    });
    assert.equal(result.errors[0]?.field, 'tablingCutoffOn');
  });

  test('at the very moment the meeting starts: also refused', () => {
    assert.deepEqual(rules(check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-17', '10:00') }))).errors, ['cutoff_after_start']);
  });
});

describe('hard errors', () => {
  test('a meeting in the past', () => {
    const result = check(proposal('2026-05-27'));
    assert.deepEqual(messages(result).errors, ['The meeting must be in the future: Wednesday 27 May 2026 at 10:00am has already passed']);
    assert.equal(result.errors[0]?.field, 'meetsOn');
  });

  test('earlier the same day counts as the past; later the same day does not', () => {
    const now = londonDateTime('2026-06-17', '10:30');
    assert.deepEqual(rules(check(proposal('2026-06-17', { tablingCutoffAt: londonDateTime('2026-06-08', '12:00') }), [], { now })).errors, ['in_the_past']);
    assert.deepEqual(rules(check(proposal('2026-06-17', { start: '14:00', end: '16:00' }), [], { now })).errors, []);
  });

  test('ending before it starts, or at the same minute', () => {
    assert.deepEqual(messages(check(proposal('2026-06-17', { start: '14:00', end: '13:00' }))).errors, [
      'The meeting must end after it starts: it starts at 2:00pm and would end at 1:00pm',
    ]);
    assert.deepEqual(rules(check(proposal('2026-06-17', { start: '14:00', end: '14:00' }))).errors, ['ends_before_start']);
  });

  test('overlapping another meeting in the same room', () => {
    const plenary = meeting('2026-06-17', { type: 'plenary', title: 'Plenary', start: '09:00', end: '11:00' });
    const result = check(proposal('2026-06-17', { type: 'plenary', start: '10:30', end: '12:00' }), [plenary]);
    assert.deepEqual(messages(result).errors, ['The Chamber, City Hall is already booked at that time: Plenary on Wednesday 17 June 2026, 9:00am to 11:00am']);
    assert.equal(result.errors[0]?.code, `overlap:${plenary.id}`);
    assert.equal(result.errors[0]?.field, 'startTime');
  });

  test('the same room written differently is still the same room', () => {
    assert.equal(placeKey('  the chamber,   City  Hall '), placeKey(CHAMBER));
    const result = check(proposal('2026-06-17', { type: 'budget', place: 'THE CHAMBER, CITY HALL' }), [meeting('2026-06-17', { type: 'plenary' })]);
    assert.deepEqual(rules(result).errors, ['overlap']);
  });

  test('back to back, another room, or a cancelled booking: no clash', () => {
    const morning = meeting('2026-06-17', { type: 'plenary', start: '09:00', end: '10:00' });
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary' }), [morning])), clean);
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary', place: 'Committee Room 1' }), [meeting('2026-06-17', { type: 'plenary' })])), clean);
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary' }), [meeting('2026-06-17', { type: 'plenary', state: 'cancelled' })])), clean);
  });

  test('a meeting with no recorded end is taken to last three hours', () => {
    const open = meeting('2026-06-17', { type: 'plenary', start: '09:00', end: null });
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary', start: '11:30', end: '12:30' }), [open])).errors, ['overlap']);
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary', start: '12:00', end: '13:00' }), [open])).errors, []);
    // And a proposal with no end blocks the three hours after its start.
    assert.deepEqual(rules(check(proposal('2026-06-17', { type: 'plenary', start: '07:30', end: null }), [open])).errors, ['overlap']);
  });

  test('outside the years the bank-holiday calendar knows', () => {
    const result = check(proposal('2036-06-18', { tablingCutoffAt: londonDateTime('2036-06-06', '12:00') }));
    assert.deepEqual(messages(result).errors, ['Meetings can be scheduled only between 2000 and 2035, the years whose bank holidays are known']);
    // Early January 2000 would need 1999's holidays to count back the cut-off.
    const early = check(
      { ...proposal('2026-06-17'), meetsOn: '2000-01-05', startsAt: londonDateTime('2000-01-05', '10:00'), endsAt: null, tablingCutoffAt: londonDateTime('2000-01-04', '12:00') },
      [],
      { now: londonDateTime('1999-12-01', '09:00') },
    );
    assert.deepEqual(rules(early).errors, ['outside_calendar']);
  });

  test('several errors at once are all reported, and warnings wait until they are fixed', () => {
    const result = check(proposal('2026-05-20', { start: '14:00', end: '13:00', tablingCutoffAt: londonDateTime('2026-05-21', '12:00') }), [meeting('2026-05-06', { state: 'held' })]);
    assert.deepEqual(rules(result), { errors: ['in_the_past', 'ends_before_start', 'cutoff_after_start'], warnings: [] });
  });
});

describe('confirming warnings', () => {
  test('every current warning must be confirmed by its code', () => {
    const result = check(proposal('2026-06-24', { mayorsReportDueOn: '2026-06-22' }), [meeting('2026-06-03')]);
    const codes = result.warnings.map((w) => w.code);
    assert.deepEqual(codes, ['mqt_min_gap:2026-06-03:21', 'mayors_report_notice:2026-06-22:1']);
    assert.equal(allConfirmed(result.warnings, codes), true);
    assert.equal(allConfirmed(result.warnings, [codes[0]!]), false);
    assert.equal(allConfirmed([], []), true);
  });

  test('a changed proposal breaks the rule differently, so an old confirmation does not cover it', () => {
    const first = check(proposal('2026-06-24'), [meeting('2026-06-03')]);
    const moved = check(proposal('2026-06-23'), [meeting('2026-06-03')]);
    assert.equal(allConfirmed(moved.warnings, first.warnings.map((w) => w.code)), false);
    // Same facts (a different start time on the same day): the confirmation still holds.
    const later = check(proposal('2026-06-24', { start: '14:00', end: '16:00' }), [meeting('2026-06-03')]);
    assert.equal(allConfirmed(later.warnings, first.warnings.map((w) => w.code)), true);
  });
});

describe('slugs', () => {
  test('type and day, numbered when taken', () => {
    assert.equal(meetingSlug('mqt', '2026-06-17', new Set()), 'mqt-2026-06-17');
    assert.equal(meetingSlug('police_and_crime', '2026-06-17', new Set()), 'police-and-crime-2026-06-17');
    assert.equal(meetingSlug('plenary', '2026-06-17', new Set(['plenary-2026-06-17'])), 'plenary-2026-06-17-2');
    assert.equal(meetingSlug('budget', '2026-06-17', new Set(['budget-2026-06-17', 'budget-2026-06-17-2'])), 'budget-2026-06-17-3');
  });
});
