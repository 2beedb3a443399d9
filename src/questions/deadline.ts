// When a written answer is due, and how late it is: the statutory deadline and the overdue bands the public sees.
import { parseIsoDate, type IsoDate } from '../calendar/iso-date.ts';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../calendar/working-days.ts';

/** Greater London Authority Act 1999 s.45: the third working day after the meeting. */
export const DEFAULT_DEADLINE_WORKING_DAYS = 3;
export const DEFAULT_OVERDUE_AFTER_WORKING_DAYS = 0;
export const DEFAULT_VERY_OVERDUE_AFTER_WORKING_DAYS = 20;

/**
 * The last day on which an answer is on time: "before the end of the third working day after the
 * day of the meeting at which it was asked". The meeting day never counts, even if it is itself a
 * working day; a meeting held at a weekend or on a holiday counts from the next working day.
 * The day ends at midnight London time: compare it with London's date (`londonDate` in
 * calendar/london-time.ts), never the server's or UTC's.
 */
export function statutoryDeadline(askedOn: IsoDate, workingDays: number = DEFAULT_DEADLINE_WORKING_DAYS): IsoDate {
  return addWorkingDays(askedOn, workingDays);
}

export type LatenessBand = 'not_yet_due' | 'on_time' | 'overdue' | 'very_overdue';

export interface LatenessInput {
  dueOn: IsoDate;
  /** The day the first substantive answer was published; a holding answer does not count. */
  answeredOn: IsoDate | null;
  today: IsoDate;
  overdueAfterWorkingDays?: number;
  veryOverdueAfterWorkingDays?: number;
}

export interface Lateness {
  /** The legal fact: answered (or still unanswered) after the end of the due day. */
  late: boolean;
  /** Working days after the due day up to and including the answer day (or today if unanswered). */
  workingDaysLate: number;
  band: LatenessBand;
}

function assertThreshold(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of working days, 0 or more; got ${value}`);
  }
}

/**
 * How late an answer is, or an unanswered question has become.
 *
 * Band rules, where "end" is the answer day, or today while unanswered, and a threshold of N
 * working days is passed once "end" is after the N-th working day after the due day
 * (N = 0: after the due day itself):
 * - very_overdue: past veryOverdueAfterWorkingDays;
 * - overdue: past overdueAfterWorkingDays (default 0: any day after the due day, even a weekend);
 * - otherwise on_time if answered, not_yet_due if not.
 * An answer published on the due day is on time. With a grace period (overdueAfterWorkingDays > 0)
 * an answer inside it is still `late` but its band stays on_time / not_yet_due: the assembly chose
 * not to flag it. Answered questions keep the band they had when answered ("answered late").
 */
export function lateness(input: LatenessInput): Lateness {
  const {
    dueOn,
    answeredOn,
    today,
    overdueAfterWorkingDays = DEFAULT_OVERDUE_AFTER_WORKING_DAYS,
    veryOverdueAfterWorkingDays = DEFAULT_VERY_OVERDUE_AFTER_WORKING_DAYS,
  } = input;
  assertThreshold(overdueAfterWorkingDays, 'overdueAfterWorkingDays');
  assertThreshold(veryOverdueAfterWorkingDays, 'veryOverdueAfterWorkingDays');
  if (veryOverdueAfterWorkingDays < overdueAfterWorkingDays) {
    throw new RangeError(
      `veryOverdueAfterWorkingDays (${veryOverdueAfterWorkingDays}) must not be less than overdueAfterWorkingDays (${overdueAfterWorkingDays})`,
    );
  }
  parseIsoDate(today); // validated even when an answer date makes it irrelevant
  const end = answeredOn ?? today;
  const late = parseIsoDate(end) > parseIsoDate(dueOn);
  const workingDaysLate = late ? workingDaysBetween(dueOn, end) : 0;

  // Same as `end > addWorkingDays(dueOn, n)`, without walking past `end` (which could leave the calendar).
  const pastThreshold = (n: number): boolean =>
    late && (workingDaysLate > n || (workingDaysLate === n && (n === 0 || !isWorkingDay(end))));

  let band: LatenessBand;
  if (pastThreshold(veryOverdueAfterWorkingDays)) band = 'very_overdue';
  else if (pastThreshold(overdueAfterWorkingDays)) band = 'overdue';
  else band = answeredOn === null ? 'not_yet_due' : 'on_time';
  return { late, workingDaysLate, band };
}
