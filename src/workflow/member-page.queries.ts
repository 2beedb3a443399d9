// What the member's work pages read besides the questions themselves: meetings open for tabling, topics,
// a question's topics and follow-up, and the member's name.
import { memberPersonId, type Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { memberQuestions, type MemberQuestion } from './member.queries.ts';
import { referenceOf } from './workflow.repository.ts';

export interface MeetingChoice {
  id: number;
  title: string;
  meetsOn: string;
  tablingCutoffAt: Date;
  cutoffPassed: boolean;
}

/**
 * Scheduled meetings whose tabling cut-off is still ahead, soonest first; plus `keepId` (a draft's own
 * meeting) even when its cut-off has passed, so editing a draft never silently moves it.
 */
export async function meetingsOpenForTabling(db: Db, now: Date, keepId?: number): Promise<MeetingChoice[]> {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'meets_on', 'tabling_cutoff_at'])
    .where((eb) => {
      const open = eb.and([eb('state', '=', 'scheduled'), eb('tabling_cutoff_at', '>', now)]);
      return keepId === undefined ? open : eb.or([open, eb('id', '=', keepId)]);
    })
    .orderBy('meets_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    meetsOn: r.meets_on,
    tablingCutoffAt: r.tabling_cutoff_at,
    cutoffPassed: now.getTime() >= new Date(r.tabling_cutoff_at).getTime(),
  }));
}

export async function allTopics(db: Db): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('topics').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

export interface QuestionExtras {
  topics: { id: number; name: string }[];
  followsUp: { id: number; reference: string; title: string } | null;
  withdrawalReason: string | null;
}

/** The parts of a member's question that memberQuestions leaves out. */
export async function questionExtras(db: Db, questionId: number): Promise<QuestionExtras> {
  const [topics, row] = await Promise.all([
    db
      .selectFrom('question_topics')
      .innerJoin('topics', 'topics.id', 'question_topics.topic_id')
      .select(['topics.id', 'topics.name'])
      .where('question_topics.question_id', '=', questionId)
      .orderBy('topics.name')
      .execute(),
    db
      .selectFrom('questions')
      .leftJoin('questions as original', 'original.id', 'questions.follow_up_of_id')
      .select([
        'questions.withdrawal_reason',
        'original.id as original_id',
        'original.title as original_title',
        'original.reference_year',
        'original.reference_number',
      ])
      .where('questions.id', '=', questionId)
      .executeTakeFirstOrThrow(),
  ]);
  const reference = referenceOf(row);
  return {
    topics,
    followsUp: row.original_id !== null && reference !== null && row.original_title !== null ? { id: row.original_id, reference, title: row.original_title } : null,
    withdrawalReason: row.withdrawal_reason,
  };
}

/** The id of the published question with a reference (as `2009/1234`, padding optional), or null. */
export async function publishedQuestionIdByReference(db: Db, reference: string): Promise<number | null> {
  const match = /^\s*([0-9]{4})\s*\/\s*([0-9]{1,6})\s*$/.exec(reference);
  if (!match) return null;
  const row = await db
    .selectFrom('questions')
    .select('id')
    .where('reference_year', '=', Number(match[1]))
    .where('reference_number', '=', Number(match[2]))
    .where('state', 'in', ['accepted', 'withdrawn'])
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The name of the member the actor is, or acts for. */
export async function memberName(db: Db, actor: Actor): Promise<string | null> {
  const personId = memberPersonId(actor);
  if (personId === null) return null;
  const row = await db.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst();
  return row?.name ?? null;
}

/** One of the actor's own questions, or 404: another member's question is, to them, not there at all. */
export async function ownQuestion(db: Db, actor: Actor, questionId: number, now: Date): Promise<MemberQuestion> {
  const question = (await memberQuestions(db, actor, { now })).find((q) => q.id === questionId);
  if (!question) throw new AppError('not_found', 'The question was not found.');
  return question;
}

/** Checks the question is the actor's own before acting on it (404 otherwise), without loading the rest. */
export async function requireOwnQuestion(db: Db, actor: Actor, questionId: number): Promise<void> {
  const personId = memberPersonId(actor);
  const row =
    personId === null
      ? undefined
      : await db.selectFrom('questions').select('id').where('id', '=', questionId).where('asker_id', '=', personId).where('question_type', '<>', 'supplementary').executeTakeFirst();
  if (!row) throw new AppError('not_found', 'The question was not found.');
}
