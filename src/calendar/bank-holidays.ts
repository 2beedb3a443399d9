// The bank holidays of England and Wales, which decide what counts as a working day for answer deadlines.
import { addDays, dayOfWeek, isoDate, isWeekend, yearOf, type IsoDate } from './iso-date.ts';

// Outside these years one-off holidays are unknown (past ones not researched, future ones not yet
// proclaimed), so a deadline computed there could be silently wrong: refuse instead.
export const CALENDAR_FIRST_YEAR = 2000;
export const CALENDAR_LAST_YEAR = 2035;

export interface BankHoliday {
  date: IsoDate;
  name: string;
}

/** Thrown for any date or year whose bank holidays this calendar does not know. */
export class CalendarRangeError extends RangeError {
  readonly code = 'calendar_out_of_range';
  readonly year: number;

  constructor(year: number) {
    super(
      `Bank holidays are known only for ${CALENDAR_FIRST_YEAR} to ${CALENDAR_LAST_YEAR}; ` +
        `got ${year}. Extend src/calendar/bank-holidays.ts (including any one-off holidays) to cover it.`,
    );
    this.name = 'CalendarRangeError';
    this.year = year;
  }
}

type RegularHoliday =
  | 'new_year'
  | 'good_friday'
  | 'easter_monday'
  | 'early_may'
  | 'spring'
  | 'summer'
  | 'christmas'
  | 'boxing';

interface MovedHoliday {
  holiday: RegularHoliday;
  to: IsoDate;
  name?: string;
}

// One-off changes by royal proclamation. Each replaces the regular date that year.
// (The Millennium holiday, Friday 31 December 1999, falls before CALENDAR_FIRST_YEAR.)
const MOVED_HOLIDAYS: readonly MovedHoliday[] = [
  // Moved from Monday 27 May to sit beside the Golden Jubilee holiday.
  { holiday: 'spring', to: '2002-06-04' },
  // Moved from Monday 28 May to sit beside the Diamond Jubilee holiday.
  { holiday: 'spring', to: '2012-06-04' },
  // Moved from Monday 4 May to the 75th anniversary of VE day.
  { holiday: 'early_may', to: '2020-05-08', name: 'Early May bank holiday (VE day)' },
  // Moved from Monday 30 May to make a four-day weekend with the Platinum Jubilee holiday.
  { holiday: 'spring', to: '2022-06-02' },
];

// One-off extra holidays: each adds a day, so those years have more than eight.
const EXTRA_HOLIDAYS: readonly BankHoliday[] = [
  // Golden Jubilee of Queen Elizabeth II.
  { date: '2002-06-03', name: 'Golden Jubilee bank holiday' },
  // Wedding of Prince William and Catherine Middleton.
  { date: '2011-04-29', name: 'Royal wedding' },
  // Diamond Jubilee of Queen Elizabeth II.
  { date: '2012-06-05', name: 'Queen’s Diamond Jubilee' },
  // Platinum Jubilee of Queen Elizabeth II.
  { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  // State Funeral of Queen Elizabeth II.
  { date: '2022-09-19', name: 'Bank holiday for the State Funeral of Queen Elizabeth II' },
  // Coronation of King Charles III.
  { date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' },
];

const REGULAR_NAMES: Record<RegularHoliday, string> = {
  new_year: 'New Year’s Day',
  good_friday: 'Good Friday',
  easter_monday: 'Easter Monday',
  early_may: 'Early May bank holiday',
  spring: 'Spring bank holiday',
  summer: 'Summer bank holiday',
  christmas: 'Christmas Day',
  boxing: 'Boxing Day',
};

function assertYearInRange(year: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new CalendarRangeError(year);
  }
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher); valid for any Gregorian year. */
export function easterSunday(year: number): IsoDate {
  if (!Number.isInteger(year) || year < 1583) {
    throw new RangeError(`Easter is computed for Gregorian years (1583 on) only; got ${year}`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function firstMondayOf(year: number, month: number): IsoDate {
  const first = isoDate(year, month, 1);
  return addDays(first, (8 - dayOfWeek(first)) % 7);
}

function lastMondayOf(year: number, month: number): IsoDate {
  const lastDay = addDays(month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1), -1);
  return addDays(lastDay, -((dayOfWeek(lastDay) + 6) % 7));
}

/**
 * Fixed-date holidays falling at a weekend move to the next weekday not already a holiday, in order:
 * so Christmas on a Saturday gives Mon 27 (Christmas) and Tue 28 (Boxing Day), while Christmas on a
 * Sunday keeps Boxing Day on Mon 26 and moves Christmas to Tue 27.
 */
function withSubstituteDays(fixed: readonly { key: RegularHoliday; date: IsoDate }[]): { key: RegularHoliday; date: IsoDate; name: string }[] {
  const taken = new Set(fixed.filter((h) => !isWeekend(h.date)).map((h) => h.date));
  return fixed.map(({ key, date }) => {
    if (!isWeekend(date)) return { key, date, name: REGULAR_NAMES[key] };
    let substitute = addDays(date, 1);
    while (isWeekend(substitute) || taken.has(substitute)) substitute = addDays(substitute, 1);
    taken.add(substitute);
    return { key, date: substitute, name: `${REGULAR_NAMES[key]} (substitute day)` };
  });
}

function computeYear(year: number): readonly BankHoliday[] {
  const easter = easterSunday(year);
  const regular = [
    ...withSubstituteDays([{ key: 'new_year', date: isoDate(year, 1, 1) }]),
    { key: 'good_friday' as const, date: addDays(easter, -2), name: REGULAR_NAMES.good_friday },
    { key: 'easter_monday' as const, date: addDays(easter, 1), name: REGULAR_NAMES.easter_monday },
    { key: 'early_may' as const, date: firstMondayOf(year, 5), name: REGULAR_NAMES.early_may },
    { key: 'spring' as const, date: lastMondayOf(year, 5), name: REGULAR_NAMES.spring },
    { key: 'summer' as const, date: lastMondayOf(year, 8), name: REGULAR_NAMES.summer },
    ...withSubstituteDays([
      { key: 'christmas', date: isoDate(year, 12, 25) },
      { key: 'boxing', date: isoDate(year, 12, 26) },
    ]),
  ];
  const moved = regular.map((holiday) => {
    const move = MOVED_HOLIDAYS.find((m) => m.holiday === holiday.key && yearOf(m.to) === year);
    return move ? { date: move.to, name: move.name ?? holiday.name } : { date: holiday.date, name: holiday.name };
  });
  const extras = EXTRA_HOLIDAYS.filter((h) => yearOf(h.date) === year).map((h) => ({ ...h }));
  return [...moved, ...extras].sort((a, b) => a.date.localeCompare(b.date));
}

const byYear = new Map<number, { list: readonly BankHoliday[]; names: ReadonlyMap<IsoDate, string> }>();

function yearTable(year: number): { list: readonly BankHoliday[]; names: ReadonlyMap<IsoDate, string> } {
  assertYearInRange(year);
  let table = byYear.get(year);
  if (!table) {
    const list = computeYear(year);
    table = { list, names: new Map(list.map((h) => [h.date, h.name])) };
    byYear.set(year, table);
  }
  return table;
}

/** The year's bank holidays in date order. Throws CalendarRangeError outside CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR. */
export function bankHolidays(year: number): BankHoliday[] {
  // Copies, so a caller cannot corrupt the cache every deadline depends on.
  return yearTable(year).list.map((h) => ({ ...h }));
}

/** Throws CalendarRangeError for a date outside the known years, since "no" could be wrong there. */
export function isBankHoliday(date: IsoDate): boolean {
  return yearTable(yearOf(date)).names.has(date);
}

export function bankHolidayName(date: IsoDate): string | null {
  return yearTable(yearOf(date)).names.get(date) ?? null;
}
