// Tests for working-day arithmetic over the England and Wales calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CalendarRangeError } from './bank-holidays.ts';
import { addDays, formatIsoDate, type IsoDate } from './iso-date.ts';
import {
  addWorkingDays,
  clearWorkingDaysBefore,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
  workingDaysBetween,
} from './working-days.ts';

// Leaves room after the last day for 100 working days (and 800 calendar days either side) within the calendar.
const day = fc
  .date({ min: new Date(Date.UTC(2002, 2, 15)), max: new Date(Date.UTC(2033, 9, 15)), noInvalidDate: true })
  .map((d) => formatIsoDate(d));
const count = fc.integer({ min: 0, max: 100 });

// Independent, obviously-correct count to check the fast one against.
function naiveWorkingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0 - naiveWorkingDaysBetween(to, from);
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

test('isWorkingDay: weekdays, weekends and holidays', () => {
  assert.equal(isWorkingDay('2009-06-17'), true);
  assert.equal(isWorkingDay('2009-06-20'), false);
  assert.equal(isWorkingDay('2009-06-21'), false);
  assert.equal(isWorkingDay('2009-04-10'), false); // Good Friday
  assert.equal(isWorkingDay('2010-12-27'), false); // substitute Christmas
  assert.equal(isWorkingDay('2010-12-24'), true); // Christmas Eve is not a holiday
  assert.equal(isWorkingDay('2010-12-31'), true); // nor New Year's Eve
  assert.equal(isWorkingDay('2022-09-19'), false);
  assert.equal(isWorkingDay('2035-12-31'), true);
});

test('isWorkingDay: leap days', () => {
  assert.equal(isWorkingDay('2012-02-29'), true); // Wednesday
  assert.equal(isWorkingDay('2016-02-29'), true); // Monday
  assert.equal(isWorkingDay('2020-02-29'), false); // Saturday
  assert.equal(isWorkingDay('2024-02-29'), true); // Thursday
  assert.equal(isWorkingDay('2028-02-29'), true); // Tuesday
  assert.equal(isWorkingDay('2032-02-29'), false); // Sunday
});

test('isWorkingDay throws outside the calendar, even at a weekend', () => {
  assert.throws(() => isWorkingDay('1999-12-31'), CalendarRangeError);
  assert.throws(() => isWorkingDay('2036-01-05'), CalendarRangeError); // a Saturday
  assert.throws(() => isWorkingDay('2009-02-29'), RangeError);
});

test('addWorkingDays: ordinary weeks', () => {
  assert.equal(addWorkingDays('2009-06-17', 0), '2009-06-17');
  assert.equal(addWorkingDays('2009-06-17', 1), '2009-06-18');
  assert.equal(addWorkingDays('2009-06-17', 3), '2009-06-22');
  assert.equal(addWorkingDays('2009-06-19', 1), '2009-06-22'); // Friday -> Monday
  assert.equal(addWorkingDays('2009-06-20', 1), '2009-06-22'); // from a Saturday
  assert.equal(addWorkingDays('2009-06-20', 0), '2009-06-20'); // n = 0 never moves, even off a weekend
  assert.equal(addWorkingDays('2009-06-17', 5), '2009-06-24');
});

test('addWorkingDays: consecutive holidays', () => {
  assert.equal(addWorkingDays('2010-12-23', 1), '2010-12-24');
  assert.equal(addWorkingDays('2010-12-23', 2), '2010-12-29'); // 27, 28 substitute days
  assert.equal(addWorkingDays('2009-04-09', 1), '2009-04-14'); // Easter
  assert.equal(addWorkingDays('2011-04-28', 1), '2011-05-03'); // royal wedding then Early May
  assert.equal(addWorkingDays('2011-04-21', 1), '2011-04-26'); // Easter 2011
  assert.equal(addWorkingDays('2012-06-01', 1), '2012-06-06'); // Spring + Diamond Jubilee
  assert.equal(addWorkingDays('2022-06-01', 1), '2022-06-06'); // Spring + Platinum Jubilee
  assert.equal(addWorkingDays('2002-05-31', 1), '2002-06-05'); // Golden Jubilee + Spring
});

test('addWorkingDays: year boundaries and leap years', () => {
  assert.equal(addWorkingDays('2010-12-31', 1), '2011-01-04'); // Mon 3 Jan 2011 substitute New Year
  assert.equal(addWorkingDays('2004-12-24', 1), '2004-12-29');
  assert.equal(addWorkingDays('2016-12-23', 1), '2016-12-28');
  assert.equal(addWorkingDays('2012-02-28', 1), '2012-02-29');
  assert.equal(addWorkingDays('2016-02-26', 1), '2016-02-29');
  assert.equal(addWorkingDays('2020-02-28', 1), '2020-03-02');
  assert.equal(addWorkingDays('2024-02-28', 2), '2024-03-01');
  assert.equal(addWorkingDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addWorkingDays('2032-02-27', 1), '2032-03-01');
  assert.equal(addWorkingDays('2035-12-28', 1), '2035-12-31');
});

test('addWorkingDays: bad counts and running off the calendar', () => {
  assert.throws(() => addWorkingDays('2009-06-17', -1), RangeError);
  assert.throws(() => addWorkingDays('2009-06-17', 1.5), RangeError);
  assert.throws(() => addWorkingDays('2035-12-28', 2), CalendarRangeError);
  assert.throws(() => addWorkingDays('2036-01-02', 0), CalendarRangeError);
});

test('workingDaysBetween: examples', () => {
  assert.equal(workingDaysBetween('2009-06-17', '2009-06-17'), 0);
  assert.equal(workingDaysBetween('2009-06-17', '2009-06-22'), 3);
  assert.equal(workingDaysBetween('2009-06-22', '2009-06-17'), -3);
  assert.equal(workingDaysBetween('2009-06-19', '2009-06-20'), 0);
  assert.equal(workingDaysBetween('2009-06-19', '2009-06-22'), 1);
  assert.equal(workingDaysBetween('2009-06-20', '2009-06-21'), 0);
  assert.equal(workingDaysBetween('2010-12-23', '2010-12-30'), 3);
  assert.equal(workingDaysBetween('2010-12-24', '2010-12-28'), 0);
  assert.equal(workingDaysBetween('1999-12-31', '2000-01-04'), 1); // only 4 Jan counts
});

test('workingDaysBetween: whole years', () => {
  assert.equal(workingDaysBetween('2008-12-31', '2009-12-31'), 253);
  assert.equal(workingDaysBetween('2011-12-31', '2012-12-31'), 252); // leap year, Diamond Jubilee
  assert.equal(workingDaysBetween('2021-12-31', '2022-12-31'), 250); // two one-offs
  assert.equal(workingDaysBetween('2034-12-31', '2035-12-31'), 253);
  assert.equal(workingDaysBetween('1999-12-31', '2035-12-31'), naiveWorkingDaysBetween('1999-12-31', '2035-12-31'));
});

test('workingDaysBetween throws past the calendar', () => {
  assert.throws(() => workingDaysBetween('2035-12-31', '2036-01-02'), CalendarRangeError);
  assert.throws(() => workingDaysBetween('1999-12-30', '2000-01-04'), CalendarRangeError);
  assert.throws(() => workingDaysBetween('2036-01-02', '2035-12-31'), CalendarRangeError);
  // Only days after `from` are counted, so an empty span needs no calendar.
  assert.equal(workingDaysBetween('2036-01-02', '2036-01-02'), 0);
  assert.equal(workingDaysBetween('2000-01-04', '1999-12-31'), -1);
});

test('nextWorkingDayOnOrAfter and previousWorkingDayOnOrBefore', () => {
  assert.equal(nextWorkingDayOnOrAfter('2009-06-17'), '2009-06-17');
  assert.equal(nextWorkingDayOnOrAfter('2009-06-20'), '2009-06-22');
  assert.equal(nextWorkingDayOnOrAfter('2010-12-25'), '2010-12-29');
  assert.equal(nextWorkingDayOnOrAfter('2022-06-02'), '2022-06-06');
  assert.equal(nextWorkingDayOnOrAfter('2035-12-30'), '2035-12-31');
  assert.equal(previousWorkingDayOnOrBefore('2009-06-17'), '2009-06-17');
  assert.equal(previousWorkingDayOnOrBefore('2010-12-28'), '2010-12-24');
  assert.equal(previousWorkingDayOnOrBefore('2011-01-03'), '2010-12-31');
  assert.equal(previousWorkingDayOnOrBefore('2009-04-13'), '2009-04-09');
  assert.equal(previousWorkingDayOnOrBefore('2000-01-04'), '2000-01-04');
  // 1-3 Jan 2000 are not working days, and 1999 is unknown.
  assert.throws(() => previousWorkingDayOnOrBefore('2000-01-03'), CalendarRangeError);
});

test('clearWorkingDaysBefore: examples', () => {
  // Wednesday MQT, three clear days: Fri 12, Mon 15, Tue 16 June 2009.
  assert.equal(clearWorkingDaysBefore('2009-06-17', 3), '2009-06-11');
  assert.equal(clearWorkingDaysBefore('2009-06-17', 0), '2009-06-16');
  assert.equal(clearWorkingDaysBefore('2009-06-17', 1), '2009-06-15');
  // Thursday meeting: the latest such day is a Sunday; callers wanting a working day step back.
  assert.equal(clearWorkingDaysBefore('2009-06-18', 3), '2009-06-14');
  assert.equal(previousWorkingDayOnOrBefore(clearWorkingDaysBefore('2009-06-18', 3)), '2009-06-12');
  // Over Easter 2009: clear days Thu 9 and Tue 14 April.
  assert.equal(clearWorkingDaysBefore('2009-04-15', 2), '2009-04-08');
  // Meeting on a non-working day: the meeting day itself never counts.
  assert.equal(clearWorkingDaysBefore('2009-06-20', 1), '2009-06-18');
  // Over New Year 2011.
  assert.equal(clearWorkingDaysBefore('2011-01-05', 2), '2010-12-30');
  assert.throws(() => clearWorkingDaysBefore('2009-06-17', -1), RangeError);
  assert.throws(() => clearWorkingDaysBefore('2000-01-05', 2), CalendarRangeError);
});

test('property: addWorkingDays lands on a working day for n > 0', () => {
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 100 }), (d, n) => {
      const result = addWorkingDays(d, n);
      assert.equal(isWorkingDay(result), true);
      assert.ok(result > d);
      // The day before the result holds n - 1 working days, so the result is the first with n.
      assert.equal(workingDaysBetween(d, addDays(result, -1)), n - 1);
    }),
  );
});

test('property: workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
  fc.assert(
    fc.property(day, count, (d, n) => {
      assert.equal(workingDaysBetween(d, addWorkingDays(d, n)), n);
    }),
  );
});

test('property: addWorkingDays is monotonic in the date and in n, and composes', () => {
  fc.assert(
    fc.property(day, day, count, count, (a, b, m, n) => {
      const [early, late] = a <= b ? [a, b] : [b, a];
      assert.ok(addWorkingDays(early, n) <= addWorkingDays(late, n));
      const [few, many] = m <= n ? [m, n] : [n, m];
      assert.ok(addWorkingDays(a, few) <= addWorkingDays(a, many));
      if (m > 0) assert.equal(addWorkingDays(addWorkingDays(a, m), n), addWorkingDays(a, m + n));
    }),
  );
});

test('property: workingDaysBetween is antisymmetric, additive, monotonic and matches a day-by-day count', () => {
  fc.assert(
    fc.property(day, fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 }), (a, x, y) => {
      const b = addDays(a, x);
      const c = addDays(b, y);
      assert.equal(workingDaysBetween(a, b) + workingDaysBetween(b, a), 0);
      assert.ok(!Object.is(workingDaysBetween(b, a), -0));
      assert.equal(workingDaysBetween(a, b) + workingDaysBetween(b, c), workingDaysBetween(a, c));
      assert.equal(workingDaysBetween(a, b), naiveWorkingDaysBetween(a, b));
      if (y >= 0) assert.ok(workingDaysBetween(a, c) >= workingDaysBetween(a, b));
      if (y >= 0) assert.ok(workingDaysBetween(c, a) <= workingDaysBetween(b, a));
    }),
    { numRuns: 200 },
  );
});

test('property: next / previous working day are the nearest working days', () => {
  fc.assert(
    fc.property(day, (d) => {
      const next = nextWorkingDayOnOrAfter(d);
      const previous = previousWorkingDayOnOrBefore(d);
      assert.equal(isWorkingDay(next), true);
      assert.equal(isWorkingDay(previous), true);
      assert.ok(previous <= d && d <= next);
      assert.equal(next === d, isWorkingDay(d));
      // No working day in [d, next) nor in (previous, d].
      assert.equal(workingDaysBetween(addDays(d, -1), addDays(next, -1)), 0);
      assert.equal(workingDaysBetween(previous, d), 0);
    }),
  );
});

test('property: clearWorkingDaysBefore leaves exactly n clear working days, and is the latest such day', () => {
  const clearDays = (from: IsoDate, to: IsoDate): number => workingDaysBetween(from, addDays(to, -1));
  fc.assert(
    fc.property(day, fc.integer({ min: 0, max: 60 }), (meeting, n) => {
      const published = clearWorkingDaysBefore(meeting, n);
      assert.ok(published < meeting);
      assert.equal(clearDays(published, meeting), n);
      const dayLater = addDays(published, 1);
      if (dayLater < meeting) assert.equal(clearDays(dayLater, meeting), n - 1);
      else assert.equal(n, 0);
      // Stepping back to a working day never loses a clear day.
      assert.ok(clearDays(previousWorkingDayOnOrBefore(published), meeting) >= n);
    }),
  );
});
