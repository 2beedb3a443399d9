// Similar questions already answered, shown while a member drafts: full text search over the public record.
import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { formatReference } from '../questions/reference.ts';

export const SIMILAR_LIMIT = 5;
/** Enough words to find a match; more only makes the query slower. Title words come first. */
const MAX_WORDS = 24;
/** Longer "words" are pasted links or noise, and PostgreSQL refuses very long tsquery operands. */
const MAX_WORD_LENGTH = 60;
/** Only the start of a long text is read: what a question is about is said early. */
const MAX_TEXT_SCANNED = 4_000;

// Common English words that say nothing about a question's subject (PostgreSQL drops most of them anyway;
// dropping them here keeps the query short and spares the server's "only stop words" notices).
const STOP_WORDS = new Set(
  (
    'the and for are but not you all any can had her was one our out has have him his how its may new now see who ' +
    'did get let put say she too use what when where which while with will would could should there their them then ' +
    'they this that these those than from into about after before being been does doing over under again further ' +
    'here why more most other some such only own same very just also mayor please ask asked tell whether question'
  ).split(' '),
);

export interface SimilarQuestion {
  id: number;
  reference: string;
  year: number;
  number: number;
  title: string;
  /** The London day the first substantive answer was published. */
  answeredOn: string;
}

/**
 * The distinct significant words of the text, lower-cased: letters and digits only, so whatever a user typed
 * (quotes, tsquery operators, SQL, emoji, megabytes) becomes plain words or nothing.
 */
export function significantWords(...texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of text.slice(0, MAX_TEXT_SCANNED).toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
      const word = match[0];
      if (word.length < 3 || word.length > MAX_WORD_LENGTH || STOP_WORDS.has(word)) continue;
      words.add(word);
      if (words.size >= MAX_WORDS) return [...words];
    }
  }
  return [...words];
}

/** Any of the words: each through plainto_tsquery (which accepts every string), joined with tsquery OR. */
function anyOf(words: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(
    words.map((word) => sql`plainto_tsquery('english', ${word})`),
    sql` || `,
  )})`;
}

// The same expression as the GIN index questions_text_search (migration 0002), so the planner can use it.
const document = sql`to_tsvector('english', questions.title || ' ' || questions.body)`;

/** The query itself, for similarQuestions and for tests that check its plan. Needs at least one word. */
export function similarQuestionsQuery(db: Db, words: readonly string[]) {
  const query = anyOf(words);
  // Answered: a substantive answer (or a correction of one) is on the record. Holding answers do not count.
  const substantive = (eb: ExpressionBuilder<Database, 'questions'>) =>
    eb
      .selectFrom('answer_versions')
      .whereRef('answer_versions.question_id', '=', 'questions.id')
      .where('answer_versions.kind', 'in', ['substantive', 'correction']);
  const answeredAt = (eb: ExpressionBuilder<Database, 'questions'>) => substantive(eb).select((e) => e.fn.min('answer_versions.published_at').as('at'));
  return db
    .selectFrom('questions')
    .select((eb) => [
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      answeredAt(eb).as('answered_at'),
      sql<number>`ts_rank(${document}, ${query})`.as('rank'),
    ])
    .where(sql<boolean>`${document} @@ ${query}`)
    .where('questions.state', '=', 'accepted')
    .where('questions.question_type', '<>', 'supplementary')
    .where('questions.reference_number', 'is not', null)
    .where((eb) => eb.exists(substantive(eb).select('answer_versions.id')))
    .orderBy('rank', 'desc')
    .orderBy('answered_at', 'desc')
    .orderBy('questions.id', 'desc')
    .limit(SIMILAR_LIMIT);
}

/**
 * The answered, public questions most like the title and text being drafted, best first. Never throws on what
 * the user typed: text without a significant word finds nothing.
 */
export async function similarQuestions(db: Db, draft: { title?: string | undefined; body?: string | undefined }): Promise<SimilarQuestion[]> {
  const words = significantWords(draft.title ?? '', draft.body ?? '');
  if (words.length === 0) return [];
  const rows = await similarQuestionsQuery(db, words).execute();
  return rows.flatMap((row) => {
    if (row.reference_year === null || row.reference_number === null || row.answered_at === null) return [];
    return [
      {
        id: row.id,
        reference: formatReference(row.reference_year, row.reference_number),
        year: row.reference_year,
        number: row.reference_number,
        title: row.title,
        answeredOn: londonDate(new Date(row.answered_at)),
      },
    ];
  });
}
