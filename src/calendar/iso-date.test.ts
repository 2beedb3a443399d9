// Tests for the ISO calendar-day helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addDays,
  compareIsoDates,
  dayOfWeek,
  daysBetween,
  formatIsoDate,
  isoDate,
  isValidIsoDate,
  isWeekend,
  parseIsoDate,
  yearOf,
} from './iso-date.ts';

const dayInRange = (fromYear: number, toYear: number) =>
  fc
    .date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true })
    .map((d) => formatIsoDate(d));

test('isValidIsoDate accepts real days', () => {
  for (const value of ['2009-06-17', '2000-02-29', '2024-02-29', '2012-02-29', '1999-12-31', '2035-12-31', '0001-01-01', '9999-12-31']) {
    assert.equal(isValidIsoDate(value), true, value);
  }
});

test('isValidIsoDate rejects days that do not exist', () => {
  for (const value of ['2009-02-30', '2009-02-29', '1900-02-29', '2100-02-29', '2009-04-31', '2009-13-01', '2009-00-10', '2009-01-00', '2009-01-32', '0000-01-01']) {
    assert.equal(isValidIsoDate(value), false, value);
  }
});

test('isValidIsoDate rejects other spellings', () => {
  for (const value of ['', '2009-6-17', '09-06-17', '2009/06/17', '2009-06-17T00:00:00Z', ' 2009-06-17', '2009-06-17 ', '20090617', '+2009-06-17', '2009-06-1a', '２００９-06-17']) {
    assert.equal(isValidIsoDate(value), false, JSON.stringify(value));
  }
});

test('parseIsoDate gives UTC midnight and throws on invalid input', () => {
  assert.equal(parseIsoDate('2009-06-17').toISOString(), '2009-06-17T00:00:00.000Z');
  assert.equal(parseIsoDate('0050-03-01').getUTCFullYear(), 50);
  assert.throws(() => parseIsoDate('2009-02-30'), RangeError);
  assert.throws(() => parseIsoDate('tomorrow'), /Not a valid calendar date/);
});

test('formatIsoDate uses the UTC day and pads', () => {
  assert.equal(formatIsoDate(new Date(Date.UTC(2009, 5, 17, 23, 59, 59))), '2009-06-17');
  assert.equal(formatIsoDate(parseIsoDate('0050-03-01')), '0050-03-01');
  assert.throws(() => formatIsoDate(new Date(Number.NaN)), RangeError);
});

test('isoDate builds from parts and rejects impossible ones', () => {
  assert.equal(isoDate(2009, 6, 17), '2009-06-17');
  assert.equal(isoDate(2024, 2, 29), '2024-02-29');
  assert.throws(() => isoDate(2023, 2, 29), RangeError);
  assert.throws(() => isoDate(2023, 1.5, 1), RangeError);
});

test('addDays crosses months, years and leap days', () => {
  assert.equal(addDays('2009-06-17', 0), '2009-06-17');
  assert.equal(addDays('2009-06-30', 1), '2009-07-01');
  assert.equal(addDays('2009-12-31', 1), '2010-01-01');
  assert.equal(addDays('2010-01-01', -1), '2009-12-31');
  assert.equal(addDays('2012-02-28', 1), '2012-02-29');
  assert.equal(addDays('2013-02-28', 1), '2013-03-01');
  assert.equal(addDays('2000-02-28', 1), '2000-02-29');
  assert.equal(addDays('2100-02-28', 1), '2100-03-01');
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  assert.equal(addDays('2009-01-01', 365), '2010-01-01');
  assert.equal(addDays('2012-01-01', 366), '2013-01-01');
  // British Summer Time starts 29 March 2009: a local-time implementation would lose or gain an hour here.
  assert.equal(addDays('2009-03-28', 1), '2009-03-29');
  assert.equal(addDays('2009-03-29', 1), '2009-03-30');
  assert.equal(addDays('2009-10-25', 1), '2009-10-26');
  assert.throws(() => addDays('2009-06-17', 0.5), RangeError);
});

test('dayOfWeek and isWeekend', () => {
  assert.equal(dayOfWeek('2009-06-17'), 3); // a Wednesday MQT
  assert.equal(dayOfWeek('2010-12-25'), 6);
  assert.equal(dayOfWeek('2016-12-25'), 0);
  assert.equal(dayOfWeek('2000-01-01'), 6);
  assert.equal(dayOfWeek('2024-02-29'), 4);
  assert.equal(isWeekend('2009-06-20'), true);
  assert.equal(isWeekend('2009-06-21'), true);
  assert.equal(isWeekend('2009-06-22'), false);
});

test('daysBetween, compareIsoDates and yearOf', () => {
  assert.equal(daysBetween('2009-06-17', '2009-06-22'), 5);
  assert.equal(daysBetween('2009-06-22', '2009-06-17'), -5);
  assert.equal(daysBetween('2011-12-31', '2012-12-31'), 366);
  assert.equal(compareIsoDates('2009-06-17', '2009-06-18'), -1);
  assert.equal(compareIsoDates('2009-06-18', '2009-06-17'), 1);
  assert.equal(compareIsoDates('2009-06-17', '2009-06-17'), 0);
  assert.equal(yearOf('2035-12-31'), 2035);
});


test('property: format and parse round-trip', () => {
  fc.assert(
    fc.property(dayInRange(1900, 2200), (day) => {
      assert.equal(isValidIsoDate(day), true);
      assert.equal(formatIsoDate(parseIsoDate(day)), day);
    }),
  );
});

test('property: addDays is invertible and agrees with daysBetween', () => {
  fc.assert(
    fc.property(dayInRange(1990, 2050), fc.integer({ min: -4000, max: 4000 }), (day, n) => {
      const moved = addDays(day, n);
      assert.equal(addDays(moved, -n), day);
      assert.equal(daysBetween(day, moved), n);
      assert.equal(Math.sign(compareIsoDates(moved, day)), Math.sign(n));
      // String order agrees with calendar order, which the rest of the code relies on.
      assert.equal(Math.sign(moved.localeCompare(day)), Math.sign(n));
    }),
  );
});

test('property: weekdays cycle by seven', () => {
  fc.assert(
    fc.property(dayInRange(1990, 2050), (day) => {
      assert.equal(dayOfWeek(addDays(day, 1)), (dayOfWeek(day) + 1) % 7);
      assert.equal(dayOfWeek(addDays(day, 7)), dayOfWeek(day));
    }),
  );
});
