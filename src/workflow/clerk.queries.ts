// The clerk's queue: tabled questions waiting to be accepted or rejected, oldest first.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import type { QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';

export interface TabledQuestion {
  id: number;
  title: string;
  body: string;
  type: QuestionType;
  asker: { id: number; slug: string; name: string };
  meeting: { id: number; slug: string; title: string; meetsOn: string };
  tabledAt: Date | null;
  topicIds: number[];
}

export async function clerkQueue(db: Db, actor: Actor): Promise<TabledQuestion[]> {
  if (actor.role !== 'clerk') throw new AppError('forbidden', "Only the clerk can see the queue of tabled questions.");
  const rows = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select([
      'questions.id',
      'questions.title',
      'questions.body',
      'questions.question_type',
      'questions.tabled_at',
      'people.id as asker_id',
      'people.slug as asker_slug',
      'people.name as asker_name',
      'meetings.id as meeting_id',
      'meetings.slug as meeting_slug',
      'meetings.title as meeting_title',
      'meetings.meets_on',
    ])
    .where('questions.state', '=', 'tabled')
    .orderBy('questions.tabled_at')
    .orderBy('questions.id')
    .execute();
  const topics =
    rows.length === 0
      ? []
      : await db
          .selectFrom('question_topics')
          .select(['question_id', 'topic_id'])
          .where(
            'question_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('topic_id')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    type: r.question_type,
    asker: { id: r.asker_id, slug: r.asker_slug, name: r.asker_name },
    meeting: { id: r.meeting_id, slug: r.meeting_slug, title: r.meeting_title, meetsOn: r.meets_on },
    tabledAt: r.tabled_at,
    topicIds: topics.filter((t) => t.question_id === r.id).map((t) => t.topic_id),
  }));
}
