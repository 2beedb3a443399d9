// A question's topics inside a command's transaction: checking chosen topics exist, reading and replacing them.
import type { Db } from '../db/database.ts';
import { fieldError } from './input.ts';

/** Throws validation_failed on the topicIds field unless every chosen topic exists. */
export async function checkTopics(trx: Db, topicIds: readonly number[], about: string): Promise<void> {
  if (topicIds.length === 0) return;
  const found = await trx.selectFrom('topics').select('id').where('id', 'in', topicIds).execute();
  if (found.length !== topicIds.length) throw fieldError('topicIds', 'Choose topics from the list', about);
}

export async function topicIdsOf(trx: Db, questionId: number): Promise<number[]> {
  const rows = await trx.selectFrom('question_topics').select('topic_id').where('question_id', '=', questionId).orderBy('topic_id').execute();
  return rows.map((r) => r.topic_id);
}

export async function replaceTopics(trx: Db, questionId: number, topicIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('question_topics').where('question_id', '=', questionId).execute();
  if (topicIds.length > 0) {
    await trx
      .insertInto('question_topics')
      .values(topicIds.map((topicId) => ({ question_id: questionId, topic_id: topicId })))
      .execute();
  }
}

/** Same topics, whatever the order they were chosen in. */
export function sameTopics(a: readonly number[], b: readonly number[]): boolean {
  const sorted = (ids: readonly number[]) => [...ids].sort((x, y) => x - y).join(',');
  return sorted(a) === sorted(b);
}
