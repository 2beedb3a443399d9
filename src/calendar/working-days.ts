// Working-day arithmetic (weekdays that are not England and Wales bank holidays) for deadlines and meeting papers.
import { bankHolidays, isBankHoliday } from './bank-holidays.ts';
import { addDays, daysBetween, dayOfWeek, isWeekend, yearOf, type IsoDate } from './iso-date.ts';

// Every function here throws CalendarRangeError when it would need a day outside the known years,
// rather than guess that an unknown day is a working day.

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number of working days, 0 or more; got ${n}`);
}

export function isWorkingDay(date: IsoDate): boolean {
  // Bank holiday first so that an out-of-range weekend still throws instead of answering.
  return !isBankHoliday(date) && !isWeekend(date);
}

/** The n-th working day after `date`, not counting `date` itself; `date` unchanged when n is 0. */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  assertCount(n, 'addWorkingDays n');
  let day = date;
  isWorkingDay(day); // validates `date` even when n is 0
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

// Weekdays d with from < d <= to, for from <= to, without a day-by-day walk.
function weekdaysAfterUpTo(from: IsoDate, to: IsoDate): number {
  const span = daysBetween(from, to);
  let count = Math.floor(span / 7) * 5;
  let weekday = dayOfWeek(from);
  for (let i = 0; i < span % 7; i++) {
    weekday = (weekday + 1) % 7;
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/**
 * The number of working days d with from < d <= to; negative (and symmetric) when to is before from.
 * So the working days "after" a meeting up to and including a given day.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  const span = daysBetween(from, to);
  // `0 -` rather than unary minus: -0 would fail strict equality checks downstream.
  if (span < 0) return 0 - workingDaysBetween(to, from);
  // `from` itself is never counted, so only the years after it need a known calendar.
  if (span === 0) return 0;
  let holidays = 0;
  // Bank holidays never fall at weekends, so each one inside the span removes exactly one weekday.
  for (let year = yearOf(addDays(from, 1)); year <= yearOf(to); year++) {
    holidays += bankHolidays(year).filter((h) => h.date > from && h.date <= to).length;
  }
  return weekdaysAfterUpTo(from, to) - holidays;
}

export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

export function previousWorkingDayOnOrBefore(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/**
 * The latest day D such that exactly n working days lie strictly between D and `date`
 * ("published n clear working days before the meeting"). D itself may be a weekend or holiday;
 * wrap it in previousWorkingDayOnOrBefore when the act must happen on a working day, which keeps
 * at least n clear days.
 */
export function clearWorkingDaysBefore(date: IsoDate, n: number): IsoDate {
  assertCount(n, 'clearWorkingDaysBefore n');
  isWorkingDay(date);
  let day = addDays(date, -1);
  for (let counted = 0; counted < n; ) {
    if (isWorkingDay(day)) counted++;
    day = addDays(day, -1);
  }
  return day;
}
