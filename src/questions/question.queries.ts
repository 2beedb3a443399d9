// Reads the public record of questions: only accepted (and later withdrawn) questions ever leave this module.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, QuestionState, QuestionType } from '../db/schema.ts';
import { londonDate } from '../calendar/london-time.ts';
import { publicStatus, type PublicStatusView } from './public-status.ts';
import { formatReference } from './reference.ts';

/** The states the public may see: everything else (draft, tabled, rejected) is private for good. */
export const PUBLIC_QUESTION_STATES = ['accepted', 'withdrawn'] as const satisfies readonly QuestionState[];

export interface QuestionSummary {
  id: number;
  reference: string;
  year: number;
  number: number;
  title: string;
  type: QuestionType;
  notReached: boolean;
  askerId: number;
  askerSlug: string;
  askerName: string;
  /** Null for a question imported from a system without meetings. */
  meetingSlug: string | null;
  meetingDate: string | null;
  askedOn: string | null;
  dueOn: string | null;
  tabledOn: string | null;
  status: PublicStatusView;
}

export interface LatenessRules {
  overdueAfterWorkingDays: number;
  veryOverdueAfterWorkingDays: number;
}


function firstPublishedAt(eb: ExpressionBuilder<Database, 'questions'>, kinds: readonly ('holding' | 'substantive' | 'correction')[]) {
  return eb
    .selectFrom('answer_versions')
    .select((e) => e.fn.min('answer_versions.published_at').as('at'))
    .whereRef('answer_versions.question_id', '=', 'questions.id')
    .where('answer_versions.kind', 'in', kinds);
}

type QB = ReturnType<typeof publicQuestions>;

/** The base query every public list starts from. */
export function publicQuestions(db: Db) {
  return db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    // An imported question may have no meeting; it is public all the same.
    .leftJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .where('questions.state', 'in', PUBLIC_QUESTION_STATES)
    .where('questions.question_type', '<>', 'supplementary')
    .where('questions.reference_number', 'is not', null);
}

export function selectSummary(query: QB) {
  return query.select((eb) => [
    'questions.id',
    'questions.reference_year',
    'questions.reference_number',
    'questions.title',
    'questions.question_type',
    'questions.state',
    'questions.not_reached',
    'questions.asked_on',
    'questions.due_on',
    'questions.tabled_at',
    'people.id as asker_id',
    'people.slug as asker_slug',
    'people.name as asker_name',
    'meetings.slug as meeting_slug',
    'meetings.meets_on',
    firstPublishedAt(eb, ['holding']).as('first_holding_at'),
    firstPublishedAt(eb, ['substantive', 'correction']).as('first_substantive_at'),
  ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectSummary>['execute']>>[number];

/** The public status of a question row, from its state, deadline and the dates of its first answers. */
export function statusFromRow(
  row: { state: QuestionState; due_on: string | null; first_holding_at: Date | string | null; first_substantive_at: Date | string | null },
  today: string,
  rules: LatenessRules,
): PublicStatusView | null {
  const firstHolding = row.first_holding_at ? londonDate(new Date(row.first_holding_at)) : null;
  const firstSubstantive = row.first_substantive_at ? londonDate(new Date(row.first_substantive_at)) : null;
  return publicStatus({
    state: row.state,
    hasHoldingAnswer: firstHolding !== null,
    hasSubstantiveAnswer: firstSubstantive !== null,
    dueOn: row.due_on,
    firstSubstantiveAnswerOn: firstSubstantive,
    holdingSince: firstHolding,
    today,
    overdueAfterWorkingDays: rules.overdueAfterWorkingDays,
    veryOverdueAfterWorkingDays: rules.veryOverdueAfterWorkingDays,
  });
}

export function toSummary(row: SummaryRow, today: string, rules: LatenessRules): QuestionSummary {
  const status = statusFromRow(row, today, rules);
  if (!status || row.reference_year === null || row.reference_number === null) {
    throw new Error(`question ${row.id} is not public`);
  }
  return {
    id: row.id,
    reference: formatReference(row.reference_year, row.reference_number),
    year: row.reference_year,
    number: row.reference_number,
    title: row.title,
    type: row.question_type,
    notReached: row.not_reached,
    askerId: row.asker_id,
    askerSlug: row.asker_slug,
    askerName: row.asker_name,
    meetingSlug: row.meeting_slug,
    meetingDate: row.meets_on,
    askedOn: row.asked_on,
    dueOn: row.due_on,
    tabledOn: row.tabled_at ? londonDate(row.tabled_at) : null,
    status,
  };
}

export async function latenessRules(db: Db): Promise<LatenessRules> {
  const rules = await db
    .selectFrom('assembly_rules')
    .select(['overdue_after_working_days', 'very_overdue_after_working_days', 'answer_deadline_working_days'])
    .orderBy('assembly_id')
    .executeTakeFirst();
  return {
    overdueAfterWorkingDays: rules?.overdue_after_working_days ?? 0,
    veryOverdueAfterWorkingDays: rules?.very_overdue_after_working_days ?? 20,
  };
}

export async function findPublicQuestion(db: Db, year: number, number: number) {
  return publicQuestions(db)
    .leftJoin('people as asked_of', 'asked_of.id', 'questions.asked_of_id')
    .leftJoin('organisations as body', 'body.id', 'questions.answering_body_id')
    .select((eb) => [
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.body',
      'questions.question_type',
      'questions.state',
      'questions.not_reached',
      'questions.asked_on',
      'questions.due_on',
      'questions.tabled_at',
      'questions.decided_at',
      'questions.withdrawn_at',
      'questions.follow_up_of_id',
      'people.id as asker_id',
      'people.slug as asker_slug',
      'people.name as asker_name',
      'asked_of.name as asked_of_name',
      'body.slug as body_slug',
      'body.name as body_name',
      'meetings.id as meeting_id',
      'meetings.slug as meeting_slug',
      'meetings.title as meeting_title',
      'meetings.meets_on',
      firstPublishedAt(eb, ['holding']).as('first_holding_at'),
      firstPublishedAt(eb, ['substantive', 'correction']).as('first_substantive_at'),
    ])
    .where('questions.reference_year', '=', year)
    .where('questions.reference_number', '=', number)
    .executeTakeFirst();
}

export async function answerVersionsOf(db: Db, questionId: number) {
  return db
    .selectFrom('answer_versions')
    .innerJoin('people', 'people.id', 'answer_versions.answered_by_id')
    .select([
      'answer_versions.id',
      'answer_versions.version',
      'answer_versions.kind',
      'answer_versions.delivery',
      'answer_versions.body',
      'answer_versions.published_at',
      'answer_versions.corrects_version_id',
      'answer_versions.correction_note',
      'answer_versions.answered_by_label',
      'people.name as answered_by_name',
      'people.slug as answered_by_slug',
    ])
    .where('answer_versions.question_id', '=', questionId)
    .orderBy('answer_versions.version')
    .execute();
}

export async function topicsOf(db: Db, questionId: number) {
  return db
    .selectFrom('question_topics')
    .innerJoin('topics', 'topics.id', 'question_topics.topic_id')
    .select(['topics.slug', 'topics.name'])
    .where('question_topics.question_id', '=', questionId)
    .orderBy('topics.name')
    .execute();
}

/** The exchange at the meeting: the question's own turns, then each supplementary with its turns. */
export async function oralExchangeOf(db: Db, questionId: number) {
  const supplementaries = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .select(['questions.id', 'questions.title', 'questions.supplementary_number', 'people.name as asker_name', 'people.slug as asker_slug'])
    .where('questions.parent_question_id', '=', questionId)
    .where('questions.state', 'in', PUBLIC_QUESTION_STATES)
    .orderBy('questions.supplementary_number')
    .execute();
  const turns = await db
    .selectFrom('transcript_turns')
    .innerJoin('people', 'people.id', 'transcript_turns.speaker_id')
    .select(['transcript_turns.question_id', 'transcript_turns.position', 'transcript_turns.body', 'people.name as speaker_name', 'people.slug as speaker_slug'])
    .where('transcript_turns.question_id', 'in', [questionId, ...supplementaries.map((s) => s.id)])
    .orderBy('transcript_turns.position')
    .execute();
  return {
    turns: turns.filter((t) => t.question_id === questionId),
    supplementaries: supplementaries.map((s) => ({ ...s, turns: turns.filter((t) => t.question_id === s.id) })),
  };
}

export async function countPublicQuestions(db: Db) {
  const row = await publicQuestions(db).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst();
  return row?.count ?? 0;
}

/** Public questions with a statutory deadline already passed and no substantive answer yet. */
export async function countOverdue(db: Db, today: string) {
  const row = await publicQuestions(db)
    .where('questions.state', '=', 'accepted')
    .where('questions.due_on', '<', today)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('answer_versions').select('answer_versions.id').whereRef('answer_versions.question_id', '=', 'questions.id').where('answer_versions.kind', 'in', ['substantive', 'correction']),
        ),
      ),
    )
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** The questions with the most recently published answer versions, newest first, each question once. */
export async function latestAnswered(db: Db, limit: number) {
  return selectSummary(publicQuestions(db))
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('answer_versions')
          .select(['answer_versions.question_id', (e) => e.fn.max('answer_versions.published_at').as('latest_at')])
          .groupBy('answer_versions.question_id')
          .as('latest'),
      (join) => join.onRef('latest.question_id', '=', 'questions.id'),
    )
    .select('latest.latest_at as answer_published_at')
    .orderBy('latest.latest_at', 'desc')
    .orderBy('questions.id', 'desc')
    .limit(limit)
    .execute();
}

export const textMatches = (q: string) =>
  sql<boolean>`to_tsvector('english', questions.title || ' ' || questions.body) @@ websearch_to_tsquery('english', ${q})`;
