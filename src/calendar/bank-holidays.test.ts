// Tests for the England and Wales bank holiday calendar, against published lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  bankHolidayName,
  bankHolidays,
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  CalendarRangeError,
  easterSunday,
  isBankHoliday,
} from './bank-holidays.ts';
import { addDays, dayOfWeek, formatIsoDate, isWeekend } from './iso-date.ts';

const datesOf = (year: number): string[] => bankHolidays(year).map((h) => h.date);
const year = fc.integer({ min: CALENDAR_FIRST_YEAR, max: CALENDAR_LAST_YEAR });

// As published on gov.uk (and, before gov.uk, by the DTI / Cabinet Office) for England and Wales.
const PUBLISHED: Record<number, string[]> = {
  2000: ['2000-01-03', '2000-04-21', '2000-04-24', '2000-05-01', '2000-05-29', '2000-08-28', '2000-12-25', '2000-12-26'],
  2002: ['2002-01-01', '2002-03-29', '2002-04-01', '2002-05-06', '2002-06-03', '2002-06-04', '2002-08-26', '2002-12-25', '2002-12-26'],
  2004: ['2004-01-01', '2004-04-09', '2004-04-12', '2004-05-03', '2004-05-31', '2004-08-30', '2004-12-27', '2004-12-28'],
  2005: ['2005-01-03', '2005-03-25', '2005-03-28', '2005-05-02', '2005-05-30', '2005-08-29', '2005-12-26', '2005-12-27'],
  2009: ['2009-01-01', '2009-04-10', '2009-04-13', '2009-05-04', '2009-05-25', '2009-08-31', '2009-12-25', '2009-12-28'],
  2010: ['2010-01-01', '2010-04-02', '2010-04-05', '2010-05-03', '2010-05-31', '2010-08-30', '2010-12-27', '2010-12-28'],
  2011: ['2011-01-03', '2011-04-22', '2011-04-25', '2011-04-29', '2011-05-02', '2011-05-30', '2011-08-29', '2011-12-26', '2011-12-27'],
  2012: ['2012-01-02', '2012-04-06', '2012-04-09', '2012-05-07', '2012-06-04', '2012-06-05', '2012-08-27', '2012-12-25', '2012-12-26'],
  2016: ['2016-01-01', '2016-03-25', '2016-03-28', '2016-05-02', '2016-05-30', '2016-08-29', '2016-12-26', '2016-12-27'],
  2017: ['2017-01-02', '2017-04-14', '2017-04-17', '2017-05-01', '2017-05-29', '2017-08-28', '2017-12-25', '2017-12-26'],
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28'],
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

for (const [y, expected] of Object.entries(PUBLISHED)) {
  test(`bank holidays of ${y} match the published list`, () => {
    assert.deepEqual(datesOf(Number(y)), expected);
  });
}

// Independent table (Easter Sunday, Western churches) so the algorithm is not checked against itself.
const EASTER_SUNDAYS = [
  '2000-04-23', '2001-04-15', '2002-03-31', '2003-04-20', '2004-04-11', '2005-03-27', '2006-04-16', '2007-04-08',
  '2008-03-23', '2009-04-12', '2010-04-04', '2011-04-24', '2012-04-08', '2013-03-31', '2014-04-20', '2015-04-05',
  '2016-03-27', '2017-04-16', '2018-04-01', '2019-04-21', '2020-04-12', '2021-04-04', '2022-04-17', '2023-04-09',
  '2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21', '2031-04-13',
  '2032-03-28', '2033-04-17', '2034-04-09', '2035-03-25',
];

test('Easter Sunday for every year in range', () => {
  for (const [i, expected] of EASTER_SUNDAYS.entries()) {
    assert.equal(easterSunday(CALENDAR_FIRST_YEAR + i), expected);
  }
  // Extremes of the Easter window, outside the holiday range.
  assert.equal(easterSunday(1818), '1818-03-22');
  assert.equal(easterSunday(2038), '2038-04-25');
  assert.throws(() => easterSunday(1500), RangeError);
  assert.throws(() => easterSunday(2009.5), RangeError);
});

test('number of holidays per year: eight, except the years with one-off holidays', () => {
  const extra: Record<number, number> = { 2002: 9, 2011: 9, 2012: 9, 2022: 10, 2023: 9 };
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
    assert.equal(bankHolidays(y).length, extra[y] ?? 8, String(y));
  }
});

test('one-off moves replace the regular day rather than adding to it', () => {
  assert.equal(isBankHoliday('2002-05-27'), false);
  assert.equal(isBankHoliday('2012-05-28'), false);
  assert.equal(isBankHoliday('2020-05-04'), false);
  assert.equal(isBankHoliday('2022-05-30'), false);
  assert.equal(bankHolidayName('2020-05-08'), 'Early May bank holiday (VE day)');
  assert.equal(bankHolidayName('2022-06-02'), 'Spring bank holiday');
  assert.equal(bankHolidayName('2022-06-03'), 'Platinum Jubilee bank holiday');
  assert.equal(bankHolidayName('2022-09-19'), 'Bank holiday for the State Funeral of Queen Elizabeth II');
  assert.equal(bankHolidayName('2023-05-08'), 'Bank holiday for the coronation of King Charles III');
  assert.equal(bankHolidayName('2011-04-29'), 'Royal wedding');
  assert.equal(bankHolidayName('2012-06-05'), 'Queen’s Diamond Jubilee');
  assert.equal(bankHolidayName('2002-06-03'), 'Golden Jubilee bank holiday');
});

test('substitute days are named as such', () => {
  assert.equal(bankHolidayName('2011-01-03'), 'New Year’s Day (substitute day)');
  assert.equal(bankHolidayName('2012-01-02'), 'New Year’s Day (substitute day)');
  // Christmas on a Saturday: both days move.
  assert.equal(bankHolidayName('2010-12-27'), 'Christmas Day (substitute day)');
  assert.equal(bankHolidayName('2010-12-28'), 'Boxing Day (substitute day)');
  // Christmas on a Sunday: Boxing Day keeps Monday, Christmas takes Tuesday.
  assert.equal(bankHolidayName('2016-12-26'), 'Boxing Day');
  assert.equal(bankHolidayName('2016-12-27'), 'Christmas Day (substitute day)');
  // Boxing Day on a Saturday.
  assert.equal(bankHolidayName('2009-12-25'), 'Christmas Day');
  assert.equal(bankHolidayName('2009-12-28'), 'Boxing Day (substitute day)');
  assert.equal(bankHolidayName('2009-06-17'), null);
});

test('isBankHoliday on ordinary and boundary days', () => {
  assert.equal(isBankHoliday('2000-01-01'), false); // Saturday; substituted by Monday 3rd
  assert.equal(isBankHoliday('2000-01-03'), true);
  assert.equal(isBankHoliday('2035-12-25'), true);
  assert.equal(isBankHoliday('2035-12-31'), false);
  assert.equal(isBankHoliday('2009-06-17'), false);
  assert.equal(isBankHoliday('2024-02-29'), false);
});

test('years and dates outside the range throw a CalendarRangeError', () => {
  for (const bad of [1999, 2036, 2009.5, Number.NaN]) {
    assert.throws(() => bankHolidays(bad), (error: unknown) => {
      assert.ok(error instanceof CalendarRangeError);
      assert.ok(error instanceof RangeError);
      assert.equal(error.code, 'calendar_out_of_range');
      assert.match(error.message, /2000 to 2035/);
      return true;
    });
  }
  // The Millennium holiday (31 Dec 1999) is outside, so asking about it must not answer "no".
  assert.throws(() => isBankHoliday('1999-12-31'), CalendarRangeError);
  assert.throws(() => isBankHoliday('2036-01-01'), CalendarRangeError);
  assert.throws(() => isBankHoliday('2009-02-30'), RangeError);
});

test('bankHolidays returns copies, so callers cannot corrupt the calendar', () => {
  const list = bankHolidays(2009);
  list.pop();
  const first = list[0];
  assert.ok(first);
  first.date = '2009-06-17';
  assert.equal(bankHolidays(2009).length, 8);
  assert.equal(isBankHoliday('2009-06-17'), false);
});

test('property: no holiday falls on a weekend, and each falls in its own year', () => {
  fc.assert(
    fc.property(year, (y) => {
      for (const h of bankHolidays(y)) {
        assert.equal(isWeekend(h.date), false, h.date);
        assert.equal(h.date.slice(0, 4), String(y));
        assert.equal(isBankHoliday(h.date), true);
        assert.ok(h.name.length > 0);
      }
    }),
    { numRuns: 200 },
  );
});

test('property: each year is sorted and has no duplicate dates', () => {
  fc.assert(
    fc.property(year, (y) => {
      const dates = datesOf(y);
      assert.deepEqual(dates, [...dates].sort());
      assert.equal(new Set(dates).size, dates.length);
    }),
  );
});

test('property: Easter Monday is Good Friday + 3, and Good Friday a Friday', () => {
  fc.assert(
    fc.property(year, (y) => {
      const list = bankHolidays(y);
      const goodFriday = list.find((h) => h.name === 'Good Friday');
      const easterMonday = list.find((h) => h.name === 'Easter Monday');
      assert.ok(goodFriday && easterMonday);
      assert.equal(addDays(goodFriday.date, 3), easterMonday.date);
      assert.equal(dayOfWeek(goodFriday.date), 5);
      assert.equal(addDays(easterSunday(y), -2), goodFriday.date);
    }),
  );
});

test('property: regular Monday holidays are Mondays in the right week', () => {
  fc.assert(
    fc.property(year, (y) => {
      const named = (name: string) => bankHolidays(y).find((h) => h.name === name)?.date;
      const summer = named('Summer bank holiday');
      assert.ok(summer);
      assert.equal(dayOfWeek(summer), 1);
      assert.ok(Number(summer.slice(8)) >= 25, 'last Monday of August');
      if (y !== 2020) {
        const early = named('Early May bank holiday');
        assert.ok(early);
        assert.equal(dayOfWeek(early), 1);
        assert.ok(Number(early.slice(8)) <= 7, 'first Monday of May');
      }
      if (![2002, 2012, 2022].includes(y)) {
        const spring = named('Spring bank holiday');
        assert.ok(spring);
        assert.equal(dayOfWeek(spring), 1);
        assert.ok(spring >= `${y}-05-25` && spring <= `${y}-05-31`, 'last Monday of May');
      }
    }),
  );
});

test('property: isBankHoliday agrees with the yearly lists for every day in range', () => {
  const all = new Set<string>();
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) for (const d of datesOf(y)) all.add(d);
  fc.assert(
    fc.property(
      fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2035, 11, 31)), noInvalidDate: true }),
      (instant) => {
        const day = formatIsoDate(instant);
        assert.equal(isBankHoliday(day), all.has(day));
      },
    ),
    { numRuns: 1000 },
  );
});
