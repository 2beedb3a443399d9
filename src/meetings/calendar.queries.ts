// Reads for the meeting calendar: the assembly's scheduling rules and meetings, election days, upcoming meetings,
// and the Mayor's report with the questions asked on it.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MeetingState, MeetingType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { formatReference } from '../questions/reference.ts';
import { LONDON_SCHEDULING_RULES, type ScheduledMeeting, type SchedulingRules } from './scheduling-rules.ts';

export interface CalendarMeeting {
  id: number;
  slug: string;
  title: string;
  type: MeetingType;
  meetsOn: string;
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  tablingCutoffAt: Date;
  mayorsReportDueOn: string | null;
  state: MeetingState;
  /** Times it was rescheduled or cancelled, for the iCalendar SEQUENCE. */
  revisions: number;
}

const calendarColumns = [
  'meetings.id',
  'meetings.slug',
  'meetings.title',
  'meetings.meeting_type',
  'meetings.meets_on',
  'meetings.starts_at',
  'meetings.ends_at',
  'meetings.place',
  'meetings.tabling_cutoff_at',
  'meetings.mayors_report_due_on',
  'meetings.state',
  'meetings.assembly_id',
] as const;

type MeetingRow = {
  id: number;
  slug: string;
  title: string;
  meeting_type: MeetingType;
  meets_on: string;
  starts_at: Date;
  ends_at: Date | null;
  place: string;
  tabling_cutoff_at: Date;
  mayors_report_due_on: string | null;
  state: MeetingState;
  assembly_id: number;
};

function toCalendarMeeting(row: MeetingRow, revisions = 0): CalendarMeeting {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    type: row.meeting_type,
    meetsOn: row.meets_on,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    place: row.place,
    tablingCutoffAt: row.tabling_cutoff_at,
    mayorsReportDueOn: row.mayors_report_due_on,
    state: row.state,
    revisions,
  };
}

/** The assembly new meetings belong to: the first assembly, as the site's name is (one assembly per installation). */
export async function defaultAssemblyId(db: Db): Promise<number> {
  const row = await db.selectFrom('organisations').select('id').where('classification', '=', 'assembly').orderBy('id').executeTakeFirst();
  if (!row) throw new AppError('conflict', 'There is no assembly to schedule meetings for yet.');
  return row.id;
}

/**
 * Locks the assembly's row until the transaction ends, so two clerks scheduling at once are checked one after the
 * other (each sees the other's meeting when looking for clashes and gaps).
 */
export async function lockAssembly(trx: Db, assemblyId: number): Promise<void> {
  const row = await trx.selectFrom('organisations').select('id').where('id', '=', assemblyId).where('classification', '=', 'assembly').forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', 'That assembly was not found.');
}

export async function schedulingRulesFor(db: Db, assemblyId: number): Promise<SchedulingRules> {
  const row = await db
    .selectFrom('assembly_rules')
    .select(['mqt_meetings_per_year', 'min_days_between_mqt', 'first_mqt_within_days_of_election', 'mayors_report_clear_working_days', 'tabling_cutoff_working_days'])
    .where('assembly_id', '=', assemblyId)
    .executeTakeFirst();
  if (!row) return LONDON_SCHEDULING_RULES;
  return {
    mqtMeetingsPerYear: row.mqt_meetings_per_year,
    minDaysBetweenMqt: row.min_days_between_mqt,
    firstMqtWithinDaysOfElection: row.first_mqt_within_days_of_election,
    mayorsReportClearWorkingDays: row.mayors_report_clear_working_days,
    tablingCutoffWorkingDays: row.tabling_cutoff_working_days,
  };
}

/** Election days: a pre-election period runs up to and including polling day, so its last day is the election. */
export async function electionDays(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('pre_election_periods').select('ends_on').orderBy('ends_on').execute();
  return rows.map((r) => r.ends_on);
}

/** The assembly's meetings (every state), for the scheduling checks. */
export async function assemblyMeetings(db: Db, assemblyId: number): Promise<ScheduledMeeting[]> {
  const rows = await db.selectFrom('meetings').select(calendarColumns).where('assembly_id', '=', assemblyId).orderBy('starts_at').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, type: r.meeting_type, meetsOn: r.meets_on, startsAt: r.starts_at, endsAt: r.ends_at, place: r.place, state: r.state }));
}

export async function slugsStartingWith(db: Db, prefix: string): Promise<Set<string>> {
  const rows = await db.selectFrom('meetings').select('slug').where('slug', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`).execute();
  return new Set(rows.map((r) => r.slug));
}

/** One meeting, locked for a change. */
export async function lockMeeting(trx: Db, meetingId: number) {
  const row = await trx.selectFrom('meetings').select(calendarColumns).where('id', '=', meetingId).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', 'The meeting was not found.');
  return row;
}

export async function findCalendarMeeting(db: Db, meetingId: number): Promise<(CalendarMeeting & { assemblyId: number }) | undefined> {
  const row = await db.selectFrom('meetings').select(calendarColumns).where('id', '=', meetingId).executeTakeFirst();
  return row ? { ...toCalendarMeeting(row), assemblyId: row.assembly_id } : undefined;
}

/** Meetings on or after a London day, soonest first, cancelled ones included (a calendar should say so). */
export async function upcomingMeetings(db: Db, today: string): Promise<CalendarMeeting[]> {
  const rows = await db
    .selectFrom('meetings')
    .select(calendarColumns)
    .select((eb) =>
      eb
        .selectFrom('audit_events')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('audit_events.record_type', '=', 'meeting')
        .whereRef('audit_events.record_id', '=', 'meetings.id')
        .where('audit_events.action', 'in', ['meeting.rescheduled', 'meeting.cancelled'])
        .as('revisions'),
    )
    .where('meets_on', '>=', today)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toCalendarMeeting(r, Number(r.revisions ?? 0)));
}

// The Mayor's report ------------------------------------------------------------------------------------------

export interface MayorsReport {
  id: number;
  meetingId: number;
  title: string;
  body: string;
  publishedAt: Date | null;
  createdAt: Date;
}

export async function mayorsReportOf(db: Db, meetingId: number): Promise<MayorsReport | undefined> {
  const row = await db
    .selectFrom('meeting_papers')
    .select(['id', 'meeting_id', 'title', 'body', 'published_at', 'created_at'])
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'mayors_report')
    .executeTakeFirst();
  return row ? { id: row.id, meetingId: row.meeting_id, title: row.title, body: row.body, publishedAt: row.published_at, createdAt: row.created_at } : undefined;
}

/** The document uploaded as the report (its description; `withContent` to read the file itself). */
export async function reportDocumentOf(db: Db, paperId: number) {
  return db.selectFrom('meeting_paper_documents').select(['file_name', 'media_type', 'byte_size', 'sha256', 'uploaded_at']).where('paper_id', '=', paperId).executeTakeFirst();
}

export async function reportDocumentContent(db: Db, paperId: number) {
  return db.selectFrom('meeting_paper_documents').select(['file_name', 'media_type', 'byte_size', 'sha256', 'content']).where('paper_id', '=', paperId).executeTakeFirst();
}

/** Whether each meeting's report is a draft or published (absent: not started). */
export async function reportStates(db: Db, meetingIds: readonly number[]): Promise<Map<number, 'draft' | 'published'>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('meeting_papers')
    .select(['meeting_id', 'published_at'])
    .where('kind', '=', 'mayors_report')
    .where('meeting_id', 'in', meetingIds)
    .execute();
  return new Map(rows.map((r) => [r.meeting_id, r.published_at === null ? 'draft' : 'published']));
}

/** A meeting and its Mayor's report, only once the report is published (as of `now`). */
export async function publishedMayorsReport(db: Db, slug: string, now: Date) {
  const meeting = await db.selectFrom('meetings').select(calendarColumns).where('slug', '=', slug).executeTakeFirst();
  if (!meeting) return undefined;
  const report = await mayorsReportOf(db, meeting.id);
  if (!report || report.publishedAt === null || report.publishedAt.getTime() > now.getTime()) return undefined;
  return { meeting: toCalendarMeeting(meeting), report: { ...report, publishedAt: report.publishedAt } };
}

export interface ReportQuestion {
  id: number;
  reference: string | null;
  title: string;
  type: 'written' | 'oral' | 'supplementary';
  state: string;
  askerName: string;
  askerSlug: string;
}

function reportQuestionRows(db: Db, meetingId: number, states: readonly ('tabled' | 'accepted')[]) {
  return db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.question_type',
      'questions.state',
      'questions.on_mayors_report',
      'people.name',
      'people.slug',
    ])
    .where('questions.meeting_id', '=', meetingId)
    .where('questions.state', 'in', states)
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .orderBy('questions.id');
}

type ReportQuestionRow = Awaited<ReturnType<ReturnType<typeof reportQuestionRows>['execute']>>[number];

function toReportQuestion(r: ReportQuestionRow): ReportQuestion {
  return {
    id: r.id,
    reference: r.reference_year !== null && r.reference_number !== null ? formatReference(r.reference_year, r.reference_number) : null,
    title: r.title,
    type: r.question_type,
    state: r.state,
    askerName: r.name,
    askerSlug: r.slug,
  };
}

/**
 * Questions on the Mayor's report for a meeting. The public sees accepted ones only (they carry a reference);
 * the clerk also sees tabled ones still to review. Drafts and rejected questions are never listed.
 */
export async function questionsOnMayorsReport(db: Db, meetingId: number, audience: 'public' | 'clerk'): Promise<ReportQuestion[]> {
  const states = audience === 'public' ? (['accepted'] as const) : (['tabled', 'accepted'] as const);
  const rows = await reportQuestionRows(db, meetingId, states).where('questions.on_mayors_report', '=', true).execute();
  return rows.map(toReportQuestion);
}

/** Every question the clerk could mark as on the Mayor's report (tabled or accepted, not a supplementary), with its mark. */
export async function mayorsReportCandidates(db: Db, meetingId: number): Promise<(ReportQuestion & { onMayorsReport: boolean })[]> {
  const rows = await reportQuestionRows(db, meetingId, ['tabled', 'accepted']).where('questions.question_type', '<>', 'supplementary').execute();
  return rows.map((r) => ({ ...toReportQuestion(r), onMayorsReport: r.on_mayors_report }));
}

