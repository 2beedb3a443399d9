// One question as the clerk reviews it (never a member's draft), with what the review forms offer: topics and meetings to move to.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import type { MeetingState, QuestionState, QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { referenceOf } from './workflow.repository.ts';

export interface ClerkQuestion {
  id: number;
  reference: string | null;
  state: QuestionState;
  type: QuestionType;
  title: string;
  body: string;
  asker: { id: number; slug: string; name: string };
  meeting: { id: number; assemblyId: number; slug: string; title: string; meetsOn: string; state: MeetingState };
  tabledAt: Date | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  askedOn: string | null;
  dueOn: string | null;
  notReached: boolean;
  withdrawnAt: Date | null;
  topics: { id: number; name: string }[];
  followUpOf: { id: number; reference: string | null; title: string } | null;
}

export interface MeetingChoice {
  id: number;
  title: string;
  meetsOn: string;
}

function requireClerk(actor: Actor): void {
  if (actor.role !== 'clerk') throw new AppError('forbidden', 'Only the clerk can review questions.');
}

/** Missing and draft questions are the same to the clerk: not found. A draft is private to its member. */
export async function requireNotDraft(db: Db, questionId: number): Promise<void> {
  const row = await db.selectFrom('questions').select('state').where('id', '=', questionId).executeTakeFirst();
  if (!row || row.state === 'draft') throw new AppError('not_found', 'The question was not found.');
}

export async function clerkQuestion(db: Db, actor: Actor, questionId: number): Promise<ClerkQuestion> {
  requireClerk(actor);
  const row = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.state',
      'questions.question_type',
      'questions.title',
      'questions.body',
      'questions.tabled_at',
      'questions.decided_at',
      'questions.rejection_reason',
      'questions.asked_on',
      'questions.due_on',
      'questions.not_reached',
      'questions.withdrawn_at',
      'questions.follow_up_of_id',
      'people.id as asker_id',
      'people.slug as asker_slug',
      'people.name as asker_name',
      'meetings.id as meeting_id',
      'meetings.assembly_id',
      'meetings.slug as meeting_slug',
      'meetings.title as meeting_title',
      'meetings.meets_on',
      'meetings.state as meeting_state',
    ])
    .where('questions.id', '=', questionId)
    .where('questions.state', '<>', 'draft')
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'The question was not found.');
  const topics = await db
    .selectFrom('question_topics')
    .innerJoin('topics', 'topics.id', 'question_topics.topic_id')
    .select(['topics.id', 'topics.name'])
    .where('question_topics.question_id', '=', row.id)
    .orderBy('topics.name')
    .execute();
  const followUp =
    row.follow_up_of_id === null
      ? undefined
      : await db
          .selectFrom('questions')
          .select(['id', 'reference_year', 'reference_number', 'title'])
          .where('id', '=', row.follow_up_of_id)
          .executeTakeFirst();
  return {
    id: row.id,
    reference: referenceOf(row),
    state: row.state,
    type: row.question_type,
    title: row.title,
    body: row.body,
    asker: { id: row.asker_id, slug: row.asker_slug, name: row.asker_name },
    meeting: { id: row.meeting_id, assemblyId: row.assembly_id, slug: row.meeting_slug, title: row.meeting_title, meetsOn: row.meets_on, state: row.meeting_state },
    tabledAt: row.tabled_at,
    decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason,
    askedOn: row.asked_on,
    dueOn: row.due_on,
    notReached: row.not_reached,
    withdrawnAt: row.withdrawn_at,
    topics: topics.map((t) => ({ id: t.id, name: t.name })),
    followUpOf: followUp ? { id: followUp.id, reference: referenceOf(followUp), title: followUp.title } : null,
  };
}

/** Every topic, for the clerk's correction form. */
export async function topicChoices(db: Db): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('topics').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}

/** Meetings of the question's assembly a question can still be moved to: scheduled and not started yet. */
export async function moveTargets(db: Db, question: Pick<ClerkQuestion, 'meeting'>, now: Date): Promise<MeetingChoice[]> {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'meets_on'])
    .where('assembly_id', '=', question.meeting.assemblyId)
    .where('state', '=', 'scheduled')
    .where('starts_at', '>', now)
    .where('id', '<>', question.meeting.id)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, meetsOn: r.meets_on }));
}
