// What the clerk does to the calendar: schedule a meeting, reschedule it, cancel it. Each checks the assembly's
// rules (scheduling-rules.ts): hard errors refuse the change, warnings must be confirmed by their codes first.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, CalendarRangeError } from '../calendar/bank-holidays.ts';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { londonDateTime } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { MeetingType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { cleanTitle, characterCount, fieldError, id, parseInput, reasonText } from '../workflow/input.ts';
import { nowOf, type WorkflowOptions } from '../workflow/workflow.repository.ts';
import { assemblyMeetings, defaultAssemblyId, electionDays, findCalendarMeeting, lockAssembly, lockMeeting, schedulingRulesFor, slugsStartingWith } from './calendar.queries.ts';
import { meetingTypeNames } from './meeting.presenter.ts';
import {
  allConfirmed,
  checkSchedule,
  DEFAULT_CUTOFF_TIME,
  defaultMayorsReportDueOn,
  defaultTablingCutoffAt,
  meetingSlug,
  type ProposedMeeting,
  type ScheduleCheck,
  type ScheduleProblem,
  type SchedulingRules,
} from './scheduling-rules.ts';

export const MEETING_TYPES = ['mqt', 'plenary', 'budget', 'police_and_crime'] as const satisfies readonly MeetingType[];
export const PLACE_MAX = 200;

/**
 * A time of day as people type it ("10:00", "9.30", "14:30", "2pm", "2:30pm", "noon"), as 24-hour "HH:MM";
 * undefined when it is not one.
 */
export function parseClockTime(value: string): string | undefined {
  const text = value.trim().toLowerCase().replace(/\s+/g, '');
  if (text === 'noon' || text === 'midday' || text === '12noon') return '12:00';
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(text);
  if (!match) return undefined;
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  const half = match[3];
  if (minutes > 59) return undefined;
  if (half) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (half === 'pm' ? 12 : 0);
  } else if (hours > 23 || match[2] === undefined) {
    // "14" alone is more likely a slip than a time; ask for the minutes.
    return undefined;
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const isoDay = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .refine((v) => v.length > 0, { message: `Enter ${what}` })
    .refine((v) => v.length === 0 || isValidIsoDate(v), { message: `${capitalise(what)} must be a real date` });

const clockTime = (what: string) =>
  z.string({ error: `Enter ${what}` }).transform((value, ctx) => {
    if (value.trim() === '') {
      ctx.addIssue({ code: 'custom', message: `Enter ${what}` });
      return z.NEVER;
    }
    const time = parseClockTime(value);
    if (time === undefined) {
      ctx.addIssue({ code: 'custom', message: `Enter ${what} as a time of day, for example 10:00 or 2:30pm` });
      return z.NEVER;
    }
    return time;
  });

const placeText = z
  .string({ error: 'Enter the place of the meeting' })
  .transform(cleanTitle)
  .refine((v) => v.length > 0, { message: 'Enter the place of the meeting' })
  .refine((v) => characterCount(v) <= PLACE_MAX, { message: `The place must be ${PLACE_MAX} characters or fewer` });

const meetingFields = {
  meetingType: z.enum(MEETING_TYPES, { error: 'Choose the type of meeting' }),
  meetsOn: isoDay('the date of the meeting'),
  startTime: clockTime('the start time'),
  endTime: clockTime('the end time'),
  place: placeText,
  /** Defaults to the assembly's number of working days before the meeting, at noon. */
  tablingCutoffOn: z.preprocess(blankToUndefined, isoDay('the date of the tabling cut-off').optional()),
  tablingCutoffTime: z.preprocess(blankToUndefined, clockTime('the time of the tabling cut-off').optional()),
  /** MQT only; defaults to the last working day that leaves the assembly's clear working days. */
  mayorsReportDueOn: z.preprocess(blankToUndefined, isoDay("the date the Mayor's report is due").optional()),
  /** The codes of the warnings the clerk has read and accepts. */
  confirmWarnings: z.array(z.string().max(200), { error: 'Send the warning codes as a list' }).max(50).optional(),
};

const cutoffTimeNeedsDate = (v: { tablingCutoffOn?: string | undefined; tablingCutoffTime?: string | undefined }, ctx: z.core.$RefinementCtx) => {
  if (v.tablingCutoffTime !== undefined && v.tablingCutoffOn === undefined) {
    ctx.addIssue({ code: 'custom', message: 'Enter the date of the tabling cut-off as well as its time', path: ['tablingCutoffOn'] });
  }
};

export const ScheduleMeetingInput = z.object({ ...meetingFields, assemblyId: id('an assembly').optional() }).superRefine(cutoffTimeNeedsDate);
export const RescheduleMeetingInput = z.object({ meetingId: id('a meeting'), ...meetingFields }).superRefine(cutoffTimeNeedsDate);
export const CancelMeetingInput = z.object({
  meetingId: id('a meeting'),
  reason: reasonText('the reason for cancelling the meeting'),
});

type MeetingFields = z.output<typeof ScheduleMeetingInput>;

/** The warnings still to confirm: a 409 whose `warnings` say what each rule is, for the form and the API. */
export class ConfirmationRequired extends AppError {
  readonly warnings: readonly ScheduleProblem[];

  constructor(warnings: readonly ScheduleProblem[], about: string) {
    super('conflict', `${about} breaks the assembly's rules. Check these warnings, then confirm them to go ahead: ${warnings.map((w) => w.message).join('; ')}.`, {
      fields: Object.fromEntries(warnings.map((w) => [w.code, w.message])),
    });
    this.warnings = warnings;
  }
}

function requireClerk(actor: Actor): void {
  if (actor.role !== 'clerk') throw new AppError('forbidden', 'Only the clerk keeps the calendar of meetings.');
}

function proposalFrom(data: Omit<MeetingFields, 'assemblyId'>, rules: SchedulingRules): ProposedMeeting {
  try {
    return {
      type: data.meetingType,
      meetsOn: data.meetsOn,
      startsAt: londonDateTime(data.meetsOn, data.startTime),
      endsAt: londonDateTime(data.meetsOn, data.endTime),
      place: data.place,
      tablingCutoffAt: data.tablingCutoffOn ? londonDateTime(data.tablingCutoffOn, data.tablingCutoffTime ?? DEFAULT_CUTOFF_TIME) : defaultTablingCutoffAt(data.meetsOn, rules),
      mayorsReportDueOn: data.meetingType === 'mqt' ? (data.mayorsReportDueOn ?? defaultMayorsReportDueOn(data.meetsOn, rules)) : null,
    };
  } catch (caught) {
    if (!(caught instanceof CalendarRangeError)) throw caught;
    throw fieldError('meetsOn', `Meetings can be scheduled only between ${CALENDAR_FIRST_YEAR} and ${CALENDAR_LAST_YEAR}, the years whose bank holidays are known`, 'The meeting');
  }
}

/** Refuses on a hard error; asks for confirmation of any warning not yet confirmed by its code. */
function requireAcceptable(check: ScheduleCheck, confirmed: readonly string[], about: string): void {
  if (check.errors.length > 0) {
    const fields: Record<string, string> = {};
    for (const e of check.errors) fields[e.field] ??= e.message;
    throw new AppError('validation_failed', `${about} cannot be saved: ${check.errors.map((e) => e.message).join('; ')}.`, { fields });
  }
  if (!allConfirmed(check.warnings, confirmed)) throw new ConfirmationRequired(check.warnings, about);
}

const confirmedForAudit = (warnings: readonly ScheduleProblem[]) => warnings.map((w) => ({ code: w.code, rule: w.rule, message: w.message }));

function scheduleFacts(p: ProposedMeeting) {
  return {
    type: p.type,
    meetsOn: p.meetsOn,
    startsAt: p.startsAt.toISOString(),
    endsAt: p.endsAt?.toISOString() ?? null,
    place: p.place,
    tablingCutoffAt: p.tablingCutoffAt.toISOString(),
    mayorsReportDueOn: p.mayorsReportDueOn,
  };
}

async function checkAgainstCalendar(trx: Db, assemblyId: number, proposed: ProposedMeeting, rules: SchedulingRules, now: Date, exceptId?: number): Promise<ScheduleCheck> {
  const existing = (await assemblyMeetings(trx, assemblyId)).filter((m) => m.id !== exceptId);
  return checkSchedule(proposed, existing, rules, { now, elections: await electionDays(trx) });
}

/** The warning codes already confirmed for a meeting, from its audit trail. */
async function confirmedBefore(trx: Db, meetingId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('audit_events')
    .select('details')
    .where('record_type', '=', 'meeting')
    .where('record_id', '=', meetingId)
    .where('action', 'in', ['meeting.scheduled', 'meeting.rescheduled'])
    .execute();
  return rows.flatMap((r) => {
    const confirmed = r.details.confirmedWarnings;
    return Array.isArray(confirmed) ? confirmed.map((w: { code?: unknown }) => (typeof w.code === 'string' ? w.code : '')).filter(Boolean) : [];
  });
}

export interface ScheduledResult {
  meetingId: number;
  slug: string;
  /** The warnings the clerk confirmed (recorded in the audit trail). */
  confirmedWarnings: ScheduleProblem[];
}

/** The clerk schedules a meeting. Its slug (type and day) is its public address for good. */
export async function scheduleMeeting(trx: Db, actor: Actor, input: z.input<typeof ScheduleMeetingInput>, options: WorkflowOptions = {}): Promise<ScheduledResult> {
  requireClerk(actor);
  const data = parseInput(ScheduleMeetingInput, input, 'The meeting');
  const now = nowOf(options);
  const assemblyId = data.assemblyId ?? (await defaultAssemblyId(trx));
  await lockAssembly(trx, assemblyId);
  const rules = await schedulingRulesFor(trx, assemblyId);
  const proposed = proposalFrom(data, rules);
  const check = await checkAgainstCalendar(trx, assemblyId, proposed, rules, now);
  requireAcceptable(check, data.confirmWarnings ?? [], 'The meeting');

  const slug = meetingSlug(proposed.type, proposed.meetsOn, await slugsStartingWith(trx, `${proposed.type.replace(/_/g, '-')}-${proposed.meetsOn}`));
  const row = await trx
    .insertInto('meetings')
    .values({
      slug,
      assembly_id: assemblyId,
      meeting_type: proposed.type,
      title: meetingTypeNames[proposed.type] ?? proposed.type,
      meets_on: proposed.meetsOn,
      starts_at: proposed.startsAt,
      ends_at: proposed.endsAt,
      place: proposed.place,
      tabling_cutoff_at: proposed.tablingCutoffAt,
      mayors_report_due_on: proposed.mayorsReportDueOn,
      state: 'scheduled',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'meeting.scheduled',
    recordType: 'meeting',
    recordId: row.id,
    toState: 'scheduled',
    details: { slug, ...scheduleFacts(proposed), confirmedWarnings: confirmedForAudit(check.warnings) },
  });
  return { meetingId: row.id, slug, confirmedWarnings: check.warnings };
}

export interface RescheduledResult extends ScheduledResult {
  /** The facts that changed, each from and to. Empty when the schedule was already as given. */
  changed: string[];
}

/** The clerk moves a scheduled meeting (day, times, place, cut-off, report deadline, type). Its slug does not change. */
export async function rescheduleMeeting(trx: Db, actor: Actor, input: z.input<typeof RescheduleMeetingInput>, options: WorkflowOptions = {}): Promise<RescheduledResult> {
  requireClerk(actor);
  const data = parseInput(RescheduleMeetingInput, input, 'The new schedule');
  const now = nowOf(options);
  const found = await findCalendarMeeting(trx, data.meetingId);
  if (!found) throw new AppError('not_found', 'The meeting was not found.');
  // The assembly first, then the meeting: the same order as scheduling, so no deadlock.
  await lockAssembly(trx, found.assemblyId);
  const meeting = await lockMeeting(trx, data.meetingId);
  if (meeting.state !== 'scheduled') throw new AppError('conflict', `This meeting was ${meeting.state}, so it cannot be rescheduled.`);
  if (meeting.starts_at.getTime() <= now.getTime()) throw new AppError('conflict', 'This meeting has already started, so it cannot be rescheduled.');

  const rules = await schedulingRulesFor(trx, meeting.assembly_id);
  const proposed = proposalFrom(data, rules);
  const before = scheduleFacts({
    type: meeting.meeting_type,
    meetsOn: meeting.meets_on,
    startsAt: meeting.starts_at,
    endsAt: meeting.ends_at,
    place: meeting.place,
    tablingCutoffAt: meeting.tabling_cutoff_at,
    mayorsReportDueOn: meeting.mayors_report_due_on,
  });
  const after = scheduleFacts(proposed);
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return { meetingId: meeting.id, slug: meeting.slug, confirmedWarnings: [], changed: [] };

  const check = await checkAgainstCalendar(trx, meeting.assembly_id, proposed, rules, now, meeting.id);
  // A breach confirmed when the meeting was scheduled (the same rule, broken the same way) is not asked about again.
  requireAcceptable(check, [...(data.confirmWarnings ?? []), ...(await confirmedBefore(trx, meeting.id))], 'The new schedule');
  await trx
    .updateTable('meetings')
    .set({
      meeting_type: proposed.type,
      title: proposed.type === meeting.meeting_type ? meeting.title : (meetingTypeNames[proposed.type] ?? proposed.type),
      meets_on: proposed.meetsOn,
      starts_at: proposed.startsAt,
      ends_at: proposed.endsAt,
      place: proposed.place,
      tabling_cutoff_at: proposed.tablingCutoffAt,
      mayors_report_due_on: proposed.mayorsReportDueOn,
    })
    .where('id', '=', meeting.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'meeting.rescheduled',
    recordType: 'meeting',
    recordId: meeting.id,
    fromState: 'scheduled',
    toState: 'scheduled',
    details: {
      changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
      confirmedWarnings: confirmedForAudit(check.warnings),
    },
  });
  return { meetingId: meeting.id, slug: meeting.slug, confirmedWarnings: check.warnings, changed };
}

/** The clerk cancels a scheduled meeting, giving a reason. Questions tabled for it stay where they are, to be moved. */
export async function cancelMeeting(
  trx: Db,
  actor: Actor,
  input: z.input<typeof CancelMeetingInput>,
  options: WorkflowOptions = {},
): Promise<{ meetingId: number; slug: string; questionsToMove: number }> {
  requireClerk(actor);
  const data = parseInput(CancelMeetingInput, input, 'The cancellation');
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  if (meeting.state !== 'scheduled') throw new AppError('conflict', `This meeting was already ${meeting.state}.`);
  if (meeting.starts_at.getTime() <= now.getTime()) throw new AppError('conflict', 'This meeting has already started, so it cannot be cancelled.');
  await trx.updateTable('meetings').set({ state: 'cancelled' }).where('id', '=', meeting.id).execute();
  await recordAudit(trx, actor, {
    action: 'meeting.cancelled',
    recordType: 'meeting',
    recordId: meeting.id,
    fromState: 'scheduled',
    toState: 'cancelled',
    details: { reason: data.reason },
  });
  const open = await trx
    .selectFrom('questions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('meeting_id', '=', meeting.id)
    .where('state', 'in', ['tabled', 'accepted'])
    .where('question_type', '<>', 'supplementary')
    .executeTakeFirstOrThrow();
  return { meetingId: meeting.id, slug: meeting.slug, questionsToMove: Number(open.n) };
}
