// Calendar days as ISO strings ('2009-06-17'), with arithmetic done in UTC so no time zone can shift a day.

/** A calendar day, `YYYY-MM-DD`. Plain string so it round-trips through JSON, SQL and URLs untouched. */
export type IsoDate = string;

/** 0 = Sunday ... 6 = Saturday, as `Date.prototype.getUTCDay`. */
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// Built with setUTCFullYear because Date.UTC maps years 0-99 onto 1900-1999.
function utcMidnight(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/** True for a real calendar day written exactly as `YYYY-MM-DD` (years 0001-9999): rejects 2009-02-30, 2009-6-17, '2009-06-17T00:00'. */
export function isValidIsoDate(value: string): boolean {
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  // Date rolls 30 February over into March; a day that survives the round trip is real.
  const date = utcMidnight(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The UTC midnight that starts the day. Throws RangeError for anything `isValidIsoDate` rejects. */
export function parseIsoDate(value: IsoDate): Date {
  if (!isValidIsoDate(value)) {
    throw new RangeError(`Not a valid calendar date (expected YYYY-MM-DD): ${JSON.stringify(value)}`);
  }
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return utcMidnight(year, month - 1, day);
}

/** The UTC calendar day of an instant. Pass an instant in UTC midnight terms (as `parseIsoDate` returns); for "today in London" use `isoDateInTimeZone`. */
export function formatIsoDate(date: Date): IsoDate {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('Cannot format an invalid Date');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`Year ${year} cannot be written as YYYY`);
  return [
    String(year).padStart(4, '0'),
    String(date.getUTCMonth() + 1).padStart(2, '0'),
    String(date.getUTCDate()).padStart(2, '0'),
  ].join('-');
}

/** Builds a date from its parts (month 1-12); throws RangeError if the day does not exist. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  const candidate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day) || !isValidIsoDate(candidate)) {
    throw new RangeError(`No such calendar date: year ${year}, month ${month}, day ${day}`);
  }
  return candidate;
}

/** The date `days` calendar days later (earlier if negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays needs a whole number of days, got ${days}`);
  return formatIsoDate(new Date(parseIsoDate(date).getTime() + days * MS_PER_DAY));
}

/** Calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / MS_PER_DAY);
}

export function dayOfWeek(date: IsoDate): DayOfWeek {
  return parseIsoDate(date).getUTCDay() as DayOfWeek;
}

export function isWeekend(date: IsoDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** Negative, zero or positive, for sorting. Valid ISO dates sort correctly as strings; this also validates them. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(daysBetween(b, a));
}

export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).getUTCFullYear();
}
