// Topics: the subject tags on questions, with how many public questions carry each.
import type { Db } from '../db/database.ts';
import { PUBLIC_QUESTION_STATES } from '../questions/question.queries.ts';

export async function topicsWithCounts(db: Db) {
  const rows = await db
    .selectFrom('topics')
    .leftJoin('question_topics', 'question_topics.topic_id', 'topics.id')
    .leftJoin('questions', (join) =>
      join
        .onRef('questions.id', '=', 'question_topics.question_id')
        .on('questions.state', 'in', PUBLIC_QUESTION_STATES)
        .on('questions.question_type', '<>', 'supplementary')
        .on('questions.reference_number', 'is not', null),
    )
    .select(['topics.id', 'topics.slug', 'topics.name', 'topics.description', (eb) => eb.fn.count<number>('questions.id').as('questions')])
    .groupBy(['topics.id', 'topics.slug', 'topics.name', 'topics.description'])
    .orderBy('topics.name')
    .execute();
  return rows.map((r) => ({ ...r, questions: Number(r.questions) }));
}

export async function findTopicBySlug(db: Db, slug: string) {
  return db.selectFrom('topics').select(['id', 'slug', 'name', 'description']).where('slug', '=', slug).executeTakeFirst();
}
