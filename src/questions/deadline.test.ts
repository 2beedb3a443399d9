// Tests for the statutory answer deadline and the lateness bands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CalendarRangeError } from '../calendar/bank-holidays.ts';
import { addDays, dayOfWeek, formatIsoDate } from '../calendar/iso-date.ts';
import { addWorkingDays, isWorkingDay } from '../calendar/working-days.ts';
import { lateness, statutoryDeadline, type LatenessBand } from './deadline.ts';

const day = fc
  .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2034, 5, 30)), noInvalidDate: true })
  .map((d) => formatIsoDate(d));

test('statutoryDeadline: a Wednesday MQT is due the following Monday', () => {
  assert.equal(dayOfWeek('2009-06-17'), 3);
  assert.equal(statutoryDeadline('2009-06-17'), '2009-06-22');
});

test('statutoryDeadline: Christmas substitute days are skipped', () => {
  assert.equal(statutoryDeadline('2010-12-23'), '2010-12-30');
  assert.equal(statutoryDeadline('2010-12-22'), '2010-12-29');
  assert.equal(statutoryDeadline('2004-12-22'), '2004-12-29'); // Christmas on a Saturday
  assert.equal(statutoryDeadline('2016-12-21'), '2016-12-28'); // Christmas on a Sunday
});

test('statutoryDeadline: Good Friday and Easter Monday are skipped', () => {
  assert.equal(statutoryDeadline('2009-04-09'), '2009-04-16');
  assert.equal(statutoryDeadline('2011-04-21'), '2011-04-28');
  // Royal wedding Fri 29 April then Early May Mon 2 May 2011.
  assert.equal(statutoryDeadline('2011-04-27'), '2011-05-04');
});

test('statutoryDeadline: meetings on a weekend or holiday count from the next working day', () => {
  assert.equal(statutoryDeadline('2009-06-20'), '2009-06-24'); // Saturday
  assert.equal(statutoryDeadline('2009-06-21'), '2009-06-24'); // Sunday
  assert.equal(statutoryDeadline('2009-04-13'), '2009-04-16'); // Easter Monday
});

test('statutoryDeadline: year boundaries and leap days', () => {
  assert.equal(statutoryDeadline('2015-12-30'), '2016-01-05'); // New Year's Day 2016 skipped
  assert.equal(statutoryDeadline('2010-12-29'), '2011-01-04'); // substitute New Year 2011
  assert.equal(statutoryDeadline('2008-02-27'), '2008-03-03'); // Fri 29 Feb 2008 counts
  assert.equal(statutoryDeadline('2020-02-26'), '2020-03-02'); // Sat 29 Feb 2020 does not
  assert.equal(statutoryDeadline('2024-02-28'), '2024-03-04');
  assert.equal(statutoryDeadline('2012-02-27'), '2012-03-01');
});

test('statutoryDeadline: other periods, and the end of the calendar', () => {
  assert.equal(statutoryDeadline('2009-06-17', 5), '2009-06-24'); // the "within a week" standard
  assert.equal(statutoryDeadline('2009-06-17', 1), '2009-06-18');
  assert.throws(() => statutoryDeadline('2009-06-17', -1), RangeError);
  assert.throws(() => statutoryDeadline('2035-12-27'), CalendarRangeError);
  assert.throws(() => statutoryDeadline('2009-02-30'), RangeError);
});

const due = '2009-06-22'; // Monday

test('lateness: answered on or before the due day is on time', () => {
  assert.deepEqual(lateness({ dueOn: due, answeredOn: due, today: '2009-07-30' }), { late: false, workingDaysLate: 0, band: 'on_time' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: '2009-06-18', today: '2009-06-18' }), { late: false, workingDaysLate: 0, band: 'on_time' });
});

test('lateness: unanswered up to and including the due day is not yet due', () => {
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: '2009-06-17' }), { late: false, workingDaysLate: 0, band: 'not_yet_due' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: due }), { late: false, workingDaysLate: 0, band: 'not_yet_due' });
});

test('lateness: the day after the due day is overdue', () => {
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: '2009-06-23' }), { late: true, workingDaysLate: 1, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: '2009-06-23', today: '2009-06-23' }), { late: true, workingDaysLate: 1, band: 'overdue' });
});

test('lateness: a weekend or holiday after the due day is late with 0 working days', () => {
  assert.deepEqual(lateness({ dueOn: '2009-06-19', answeredOn: null, today: '2009-06-20' }), { late: true, workingDaysLate: 0, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: '2010-12-24', answeredOn: '2010-12-28', today: '2010-12-28' }), { late: true, workingDaysLate: 0, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: '2010-12-24', answeredOn: null, today: '2010-12-29' }), { late: true, workingDaysLate: 1, band: 'overdue' });
});

test('lateness: the answer date, not today, is what counts once answered', () => {
  assert.deepEqual(lateness({ dueOn: due, answeredOn: '2009-06-24', today: '2009-12-01' }), { late: true, workingDaysLate: 2, band: 'overdue' });
});

test('lateness: very overdue after the 20th working day past the due day', () => {
  assert.equal(addWorkingDays(due, 20), '2009-07-20');
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: '2009-07-18' }), { late: true, workingDaysLate: 19, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: '2009-07-20' }), { late: true, workingDaysLate: 20, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: null, today: '2009-07-21' }), { late: true, workingDaysLate: 21, band: 'very_overdue' });
  assert.deepEqual(lateness({ dueOn: due, answeredOn: '2009-09-01', today: '2009-09-01' }).band, 'very_overdue');
  // The 20th working day after Friday 19 June is Friday 17 July; the Saturday after is past it.
  assert.equal(addWorkingDays('2009-06-19', 20), '2009-07-17');
  assert.deepEqual(lateness({ dueOn: '2009-06-19', answeredOn: null, today: '2009-07-17' }), { late: true, workingDaysLate: 20, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: '2009-06-19', answeredOn: null, today: '2009-07-18' }), { late: true, workingDaysLate: 20, band: 'very_overdue' });
});

test('lateness: configured thresholds, including a grace period', () => {
  const rules = { overdueAfterWorkingDays: 2, veryOverdueAfterWorkingDays: 5 };
  const at = (today: string, answeredOn: string | null = null) => lateness({ dueOn: due, answeredOn, today, ...rules });
  assert.deepEqual(at('2009-06-24'), { late: true, workingDaysLate: 2, band: 'not_yet_due' });
  assert.deepEqual(at('2009-06-24', '2009-06-24'), { late: true, workingDaysLate: 2, band: 'on_time' });
  assert.deepEqual(at('2009-06-25'), { late: true, workingDaysLate: 3, band: 'overdue' });
  assert.deepEqual(at('2009-06-29'), { late: true, workingDaysLate: 5, band: 'overdue' });
  assert.deepEqual(at('2009-06-30'), { late: true, workingDaysLate: 6, band: 'very_overdue' });
  // Equal thresholds: straight from not yet due to very overdue.
  assert.equal(lateness({ dueOn: due, answeredOn: null, today: '2009-06-23', overdueAfterWorkingDays: 0, veryOverdueAfterWorkingDays: 0 }).band, 'very_overdue');
});

test('lateness: across a year boundary and a leap day', () => {
  assert.deepEqual(lateness({ dueOn: '2010-12-30', answeredOn: null, today: '2011-01-04' }), { late: true, workingDaysLate: 2, band: 'overdue' });
  assert.deepEqual(lateness({ dueOn: '2024-02-28', answeredOn: '2024-03-01', today: '2024-03-01' }), { late: true, workingDaysLate: 2, band: 'overdue' });
});

test('lateness: rejects bad thresholds and dates', () => {
  assert.throws(() => lateness({ dueOn: due, answeredOn: null, today: due, overdueAfterWorkingDays: -1 }), RangeError);
  assert.throws(() => lateness({ dueOn: due, answeredOn: null, today: due, veryOverdueAfterWorkingDays: 2.5 }), RangeError);
  assert.throws(
    () => lateness({ dueOn: due, answeredOn: null, today: due, overdueAfterWorkingDays: 10, veryOverdueAfterWorkingDays: 5 }),
    /must not be less than/,
  );
  assert.throws(() => lateness({ dueOn: '2009-06-31', answeredOn: null, today: due }), RangeError);
  assert.throws(() => lateness({ dueOn: due, answeredOn: due, today: 'yesterday' }), RangeError);
});

test('property: the deadline is a working day, after the meeting, with exactly n working days in between', () => {
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 10 }), (asked, n) => {
      const dueOn = statutoryDeadline(asked, n);
      assert.equal(isWorkingDay(dueOn), true);
      assert.ok(dueOn > asked);
      assert.equal(lateness({ dueOn, answeredOn: dueOn, today: dueOn }).band, 'on_time');
    }),
  );
});

test('property: bands match the definition "past the N-th working day after the due day"', () => {
  const rank: Record<LatenessBand, number> = { not_yet_due: 0, on_time: 0, overdue: 1, very_overdue: 2 };
  fc.assert(
    fc.property(
      day,
      fc.integer({ min: -30, max: 120 }),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 30 }),
      fc.boolean(),
      (dueOn, offset, overdue, extra, answered) => {
        const end = addDays(dueOn, offset);
        const rules = { overdueAfterWorkingDays: overdue, veryOverdueAfterWorkingDays: overdue + extra };
        const result = lateness({ dueOn, answeredOn: answered ? end : null, today: end, ...rules });
        assert.equal(result.late, end > dueOn);
        assert.ok(result.workingDaysLate >= 0);
        if (!result.late) assert.equal(result.workingDaysLate, 0);
        const expected: LatenessBand =
          end > addWorkingDays(dueOn, overdue + extra)
            ? 'very_overdue'
            : end > addWorkingDays(dueOn, overdue)
              ? 'overdue'
              : answered
                ? 'on_time'
                : 'not_yet_due';
        assert.equal(result.band, expected);
        // Waiting a day never makes an unanswered question less late.
        const tomorrow = lateness({ dueOn, answeredOn: null, today: addDays(end, 1), ...rules });
        const now = lateness({ dueOn, answeredOn: null, today: end, ...rules });
        assert.ok(rank[tomorrow.band] >= rank[now.band]);
        assert.ok(tomorrow.workingDaysLate >= now.workingDaysLate);
      },
    ),
    { numRuns: 300 },
  );
});
