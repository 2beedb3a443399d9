// Related questions for a question page: public questions sharing all the significant words of its title, the
// best few by rank. Ranking is bounded: only the newest matches (a capped candidate set) are ranked.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { significantWords } from '../workflow/similar.queries.ts';
import { publicQuestions } from './question.queries.ts';
import { formatReference } from './reference.ts';
import type { ThreadLink } from './thread.queries.ts';

const CANDIDATES = 200;
const MAX_TITLE_WORDS = 6;

// The same expression as the GIN index questions_text_search (migration 0002), so the planner can use it.
const document = sql`to_tsvector('english', questions.title || ' ' || questions.body)`;

async function matching(db: Db, questionId: number, words: readonly string[], limit: number): Promise<ThreadLink[]> {
  // Each word through plainto_tsquery (which accepts any string), joined with AND.
  const query = sql`(${sql.join(
    words.map((w) => sql`plainto_tsquery('english', ${w})`),
    sql` && `,
  )})`;
  const candidates = publicQuestions(db)
    .select(['questions.id', 'questions.reference_year', 'questions.reference_number', 'questions.title', 'questions.body'])
    .where(sql<boolean>`${document} @@ ${query}`)
    .where('questions.id', '<>', questionId)
    .orderBy('questions.id', 'desc')
    .limit(CANDIDATES)
    .as('c');
  const rows = await db
    .selectFrom(candidates)
    .select(['c.reference_year', 'c.reference_number', 'c.title', sql<number>`ts_rank(to_tsvector('english', c.title || ' ' || c.body), ${query})`.as('rank')])
    .orderBy('rank', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ reference: formatReference(r.reference_year ?? 0, r.reference_number ?? 0), year: r.reference_year ?? 0, number: r.reference_number ?? 0, title: r.title }));
}

/**
 * Up to `limit` related public questions: sharing every significant title word; failing that, every word but the
 * first (titles often open with a verb: "Tackling police overtime"); failing that, the first two.
 */
export async function relatedQuestions(db: Db, question: { id: number; title: string }, limit = 4): Promise<ThreadLink[]> {
  const words = significantWords(question.title).slice(0, MAX_TITLE_WORDS);
  const attempts = [words, ...(words.length > 2 ? [words.slice(1), words.slice(0, 2)] : [])];
  for (const attempt of attempts) {
    if (attempt.length === 0) continue;
    const found = await matching(db, question.id, attempt, limit);
    if (found.length > 0) return found;
  }
  return [];
}
