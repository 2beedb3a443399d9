// The assembly's rules for scheduling meetings, as pure checks: hard errors that refuse a proposal outright, and
// warnings about the assembly's own rules that the clerk may knowingly override, each naming the rule it is about.
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, CalendarRangeError } from '../calendar/bank-holidays.ts';
import { addDays, daysBetween, isValidIsoDate, yearOf, type IsoDate } from '../calendar/iso-date.ts';
import { formatLongDate, formatTime, londonDate, londonDateTime } from '../calendar/london-time.ts';
import { clearWorkingDaysBefore, isWorkingDay, previousWorkingDayOnOrBefore, workingDaysBetween } from '../calendar/working-days.ts';
import type { MeetingState, MeetingType } from '../db/schema.ts';

/** The configurable numbers (assembly_rules), London's defaults in LONDON_SCHEDULING_RULES. */
export interface SchedulingRules {
  mqtMeetingsPerYear: number;
  minDaysBetweenMqt: number;
  firstMqtWithinDaysOfElection: number;
  mayorsReportClearWorkingDays: number;
  tablingCutoffWorkingDays: number;
}

export const LONDON_SCHEDULING_RULES: SchedulingRules = {
  mqtMeetingsPerYear: 10,
  minDaysBetweenMqt: 28,
  firstMqtWithinDaysOfElection: 25,
  mayorsReportClearWorkingDays: 3,
  tablingCutoffWorkingDays: 7,
};

/** The time of day a default tabling cut-off falls at, London time. */
export const DEFAULT_CUTOFF_TIME = '12:00';

/** A meeting with no recorded end is taken to last this long when looking for clashes in its room. */
export const ASSUMED_MEETING_MINUTES = 180;

export interface ProposedMeeting {
  type: MeetingType;
  /** The London day of `startsAt`. */
  meetsOn: IsoDate;
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  tablingCutoffAt: Date;
  mayorsReportDueOn: IsoDate | null;
}

export interface ScheduledMeeting {
  id: number;
  title: string;
  type: MeetingType;
  meetsOn: IsoDate;
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  state: MeetingState;
}

/** Hard errors: the proposal cannot be saved at all. */
export type ScheduleErrorRule = 'outside_calendar' | 'in_the_past' | 'ends_before_start' | 'cutoff_after_start' | 'report_due_after_meeting' | 'overlap';

/** The assembly's own rules: a breach is a warning the clerk confirms. */
export type ScheduleWarningRule = 'mqt_min_gap' | 'mqt_per_year' | 'first_mqt_after_election' | 'mayors_report_notice' | 'tabling_cutoff_notice';

/** The form field a problem is about, so the error summary can link to it. */
export type ScheduleField = 'meetsOn' | 'startTime' | 'endTime' | 'place' | 'tablingCutoffOn' | 'mayorsReportDueOn';

export interface ScheduleProblem<R extends string = string> {
  /**
   * The rule and the facts that broke it (`mqt_min_gap:2026-06-03:21`). A confirmation names these codes, so a
   * proposal that changes in a way that matters breaks the rule differently and has to be confirmed again.
   */
  code: string;
  rule: R;
  field: ScheduleField;
  message: string;
}

export interface ScheduleCheck {
  errors: ScheduleProblem<ScheduleErrorRule>[];
  warnings: ScheduleProblem<ScheduleWarningRule>[];
}

export interface ScheduleContext {
  now: Date;
  /** Election days, oldest first or in any order (the last day of each pre-election period). */
  elections?: readonly IsoDate[];
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const workingDays = (n: number) => `${n} ${n === 1 ? 'working day' : 'working days'}`;
const clearDays = (n: number) => `${n} clear ${n === 1 ? 'working day' : 'working days'}`;
const at = (instant: Date) => `${formatLongDate(londonDate(instant))} at ${formatTime(instant)}`;

/** Place names compared as people write them: case, and spaces around and inside, do not make a different room. */
export function placeKey(place: string): string {
  return place.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The day `n` working days before `date` (each step back lands on a working day). */
export function workingDaysBefore(date: IsoDate, n: number): IsoDate {
  let day = date;
  for (let i = 0; i < n; i++) day = previousWorkingDayOnOrBefore(addDays(day, -1));
  return day;
}

/** The default tabling cut-off: the rule's number of working days before the meeting, at noon in London. */
export function defaultTablingCutoffAt(meetsOn: IsoDate, rules: Pick<SchedulingRules, 'tablingCutoffWorkingDays'>): Date {
  return londonDateTime(workingDaysBefore(meetsOn, rules.tablingCutoffWorkingDays), DEFAULT_CUTOFF_TIME);
}

/** The default deadline for the Mayor's report: the last working day that still leaves the rule's clear working days. */
export function defaultMayorsReportDueOn(meetsOn: IsoDate, rules: Pick<SchedulingRules, 'mayorsReportClearWorkingDays'>): IsoDate {
  return previousWorkingDayOnOrBefore(clearWorkingDaysBefore(meetsOn, rules.mayorsReportClearWorkingDays));
}

/** Working days strictly between `from` and `to` (`from` before `to`). */
export function clearWorkingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (from >= to) return 0;
  return workingDaysBetween(from, to) - (isWorkingDay(to) ? 1 : 0);
}

function endOf(meeting: { startsAt: Date; endsAt: Date | null }): Date {
  return meeting.endsAt ?? new Date(meeting.startsAt.getTime() + ASSUMED_MEETING_MINUTES * 60_000);
}

function inCalendar(date: IsoDate): boolean {
  if (!isValidIsoDate(date)) return false;
  const year = yearOf(date);
  return year >= CALENDAR_FIRST_YEAR && year <= CALENDAR_LAST_YEAR;
}

function hardErrors(proposed: ProposedMeeting, others: readonly ScheduledMeeting[], now: Date): ScheduleProblem<ScheduleErrorRule>[] {
  const errors: ScheduleProblem<ScheduleErrorRule>[] = [];
  const error = (rule: ScheduleErrorRule, field: ScheduleField, message: string, detail: string) => errors.push({ code: `${rule}:${detail}`, rule, field, message });

  if (proposed.startsAt.getTime() <= now.getTime()) {
    error('in_the_past', 'meetsOn', `The meeting must be in the future: ${at(proposed.startsAt)} has already passed`, proposed.meetsOn);
  }
  const endsAt = proposed.endsAt;
  if (endsAt && endsAt.getTime() <= proposed.startsAt.getTime()) {
    error('ends_before_start', 'endTime', `The meeting must end after it starts: it starts at ${formatTime(proposed.startsAt)} and would end at ${formatTime(endsAt)}`, proposed.meetsOn);
  }
  if (proposed.tablingCutoffAt.getTime() >= proposed.startsAt.getTime()) {
    error(
      'cutoff_after_start',
      'tablingCutoffOn',
      `The tabling cut-off must be before the meeting starts: the cut-off given is ${at(proposed.tablingCutoffAt)}, and the meeting starts ${at(proposed.startsAt)}`,
      proposed.tablingCutoffAt.toISOString(),
    );
  }
  if (proposed.mayorsReportDueOn !== null && proposed.mayorsReportDueOn > proposed.meetsOn) {
    error(
      'report_due_after_meeting',
      'mayorsReportDueOn',
      `The Mayor's report must be due before the meeting: ${formatLongDate(proposed.mayorsReportDueOn)} is after the meeting on ${formatLongDate(proposed.meetsOn)}`,
      proposed.mayorsReportDueOn,
    );
  }
  const room = placeKey(proposed.place);
  const proposedEnd = endOf(proposed);
  for (const other of others) {
    if (other.state === 'cancelled' || placeKey(other.place) !== room) continue;
    if (other.startsAt.getTime() < proposedEnd.getTime() && proposed.startsAt.getTime() < endOf(other).getTime()) {
      error(
        'overlap',
        'startTime',
        `${other.place} is already booked at that time: ${other.title} on ${formatLongDate(other.meetsOn)}, ${formatTime(other.startsAt)} to ${formatTime(endOf(other))}`,
        String(other.id),
      );
    }
  }
  return errors;
}

function mqtWarnings(proposed: ProposedMeeting, others: readonly ScheduledMeeting[], rules: SchedulingRules, elections: readonly IsoDate[]): ScheduleProblem<ScheduleWarningRule>[] {
  const warnings: ScheduleProblem<ScheduleWarningRule>[] = [];
  const warn = (rule: ScheduleWarningRule, field: ScheduleField, message: string, detail: string) => warnings.push({ code: `${rule}:${detail}`, rule, field, message });
  const mqts = others.filter((m) => m.type === 'mqt' && m.state !== 'cancelled').sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  // At least N days apart: the nearest MQT on either side is the one that matters.
  const gap = rules.minDaysBetweenMqt;
  const previous = mqts.filter((m) => m.startsAt.getTime() <= proposed.startsAt.getTime()).at(-1);
  const next = mqts.find((m) => m.startsAt.getTime() > proposed.startsAt.getTime());
  if (previous) {
    const apart = daysBetween(previous.meetsOn, proposed.meetsOn);
    if (apart < gap) {
      const when = apart === 0 ? 'the same day' : `${days(apart)} before`;
      warn('mqt_min_gap', 'meetsOn', `MQTs must be at least ${days(gap)} apart: the previous MQT is on ${formatLongDate(previous.meetsOn)}, ${when}`, `${previous.meetsOn}:${apart}`);
    }
  }
  if (next) {
    const apart = daysBetween(proposed.meetsOn, next.meetsOn);
    if (apart < gap) {
      const when = apart === 0 ? 'the same day' : `${days(apart)} after`;
      warn('mqt_min_gap', 'meetsOn', `MQTs must be at least ${days(gap)} apart: the next MQT is on ${formatLongDate(next.meetsOn)}, ${when}`, `${next.meetsOn}:${-apart}`);
    }
  }

  // N a year: counted per calendar year, this meeting included.
  const year = yearOf(proposed.meetsOn);
  const inYear = mqts.filter((m) => yearOf(m.meetsOn) === year).length + 1;
  if (inYear > rules.mqtMeetingsPerYear) {
    warn(
      'mqt_per_year',
      'meetsOn',
      `The assembly holds ${rules.mqtMeetingsPerYear} MQTs a year: with this one, ${year} would have ${inYear}`,
      `${year}:${inYear}`,
    );
  }

  // The first MQT after an election within N days of it: only when no MQT already falls between the two.
  const election = [...elections].filter((e) => e <= proposed.meetsOn).sort().at(-1);
  if (election !== undefined) {
    const since = daysBetween(election, proposed.meetsOn);
    const earlier = mqts.some((m) => m.meetsOn >= election && m.startsAt.getTime() < proposed.startsAt.getTime());
    if (!earlier && since > rules.firstMqtWithinDaysOfElection) {
      warn(
        'first_mqt_after_election',
        'meetsOn',
        `The first MQT after an election must be within ${days(rules.firstMqtWithinDaysOfElection)} of it: the election was on ${formatLongDate(election)}, ${days(since)} before this meeting`,
        `${election}:${since}`,
      );
    }
  }

  // The Mayor's report, a set number of clear working days before.
  const due = proposed.mayorsReportDueOn ?? defaultMayorsReportDueOn(proposed.meetsOn, rules);
  const latest = defaultMayorsReportDueOn(proposed.meetsOn, rules);
  if (due > latest && due <= proposed.meetsOn) {
    const left = clearWorkingDaysBetween(due, proposed.meetsOn);
    warn(
      'mayors_report_notice',
      'mayorsReportDueOn',
      `The Mayor's report is due ${clearDays(rules.mayorsReportClearWorkingDays)} before the meeting, so by ${formatLongDate(latest)}: the deadline given, ${formatLongDate(due)}, leaves ${clearDays(left)}`,
      `${due}:${left}`,
    );
  }
  return warnings;
}

function cutoffWarnings(proposed: ProposedMeeting, rules: SchedulingRules): ScheduleProblem<ScheduleWarningRule>[] {
  const latestDay = workingDaysBefore(proposed.meetsOn, rules.tablingCutoffWorkingDays);
  const cutoffDay = londonDate(proposed.tablingCutoffAt);
  if (cutoffDay <= latestDay || proposed.tablingCutoffAt.getTime() >= proposed.startsAt.getTime()) return [];
  return [
    {
      code: `tabling_cutoff_notice:${cutoffDay}`,
      rule: 'tabling_cutoff_notice',
      field: 'tablingCutoffOn',
      message: `Questions are tabled ${workingDays(rules.tablingCutoffWorkingDays)} before the meeting, so the cut-off should be on or before ${formatLongDate(latestDay)}: the cut-off given is ${at(proposed.tablingCutoffAt)}`,
    },
  ];
}

/**
 * Checks a proposed meeting against the meetings already scheduled (pass the assembly's meetings other than the one
 * being rescheduled) and the assembly's rules. Errors refuse the proposal; warnings name a rule the clerk may override.
 */
export function checkSchedule(proposed: ProposedMeeting, existingMeetings: readonly ScheduledMeeting[], rules: SchedulingRules, context: ScheduleContext): ScheduleCheck {
  const dates = [proposed.meetsOn, londonDate(proposed.tablingCutoffAt), ...(proposed.mayorsReportDueOn ? [proposed.mayorsReportDueOn] : [])];
  const outside = dates.find((d) => !inCalendar(d));
  const outsideError = (date: string): ScheduleCheck => ({
    errors: [
      {
        code: `outside_calendar:${date}`,
        rule: 'outside_calendar',
        field: date === proposed.meetsOn ? 'meetsOn' : date === proposed.mayorsReportDueOn ? 'mayorsReportDueOn' : 'tablingCutoffOn',
        message: `Meetings can be scheduled only between ${CALENDAR_FIRST_YEAR} and ${CALENDAR_LAST_YEAR}, the years whose bank holidays are known`,
      },
    ],
    warnings: [],
  });
  if (outside !== undefined) return outsideError(outside);

  const errors = hardErrors(proposed, existingMeetings, context.now);
  if (errors.length > 0) return { errors, warnings: [] };
  try {
    const warnings = [
      ...(proposed.type === 'mqt' ? mqtWarnings(proposed, existingMeetings, rules, context.elections ?? []) : []),
      ...cutoffWarnings(proposed, rules),
    ];
    return { errors: [], warnings };
  } catch (caught) {
    // Counting working days back from early January 2000 needs 1999's holidays, which the calendar does not know.
    if (caught instanceof CalendarRangeError) return outsideError(proposed.meetsOn);
    throw caught;
  }
}

/** True when every warning has been confirmed by its code. */
export function allConfirmed(warnings: readonly ScheduleProblem[], confirmed: readonly string[]): boolean {
  const codes = new Set(confirmed);
  return warnings.every((w) => codes.has(w.code));
}

const TYPE_SLUGS: Record<MeetingType, string> = { mqt: 'mqt', plenary: 'plenary', budget: 'budget', police_and_crime: 'police-and-crime' };

/** A meeting's public slug: its type and day (`mqt-2026-06-17`), numbered when another meeting already has it. */
export function meetingSlug(type: MeetingType, meetsOn: IsoDate, taken: ReadonlySet<string>): string {
  const base = `${TYPE_SLUGS[type]}-${meetsOn}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
