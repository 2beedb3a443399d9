// Follow-up threading over the public record: which cited references exist, what a question follows up, and which
// questions follow it up (from follow_up_of_id and from references in their text, confirmed by the parser).
import type { Db } from '../db/database.ts';
import { publicQuestions } from './question.queries.ts';
import { findReferencesInText, formatReference } from './reference.ts';

export interface ThreadLink {
  reference: string;
  year: number;
  number: number;
  title: string;
}

// A text citing more than this many references is a list, not a thread; the rest stay plain text.
const MAX_LOOKUPS = 50;
const MAX_FOLLOW_UPS = 50;

const toLink = (r: { reference_year: number | null; reference_number: number | null; title: string }): ThreadLink => ({
  reference: formatReference(r.reference_year ?? 0, r.reference_number ?? 0),
  year: r.reference_year ?? 0,
  number: r.reference_number ?? 0,
  title: r.title,
});

/** The public questions among the references, keyed by canonical reference. */
export async function publicReferencesAmong(db: Db, refs: readonly { year: number; number: number }[]): Promise<Map<string, ThreadLink>> {
  const wanted = refs.slice(0, MAX_LOOKUPS);
  if (wanted.length === 0) return new Map();
  const rows = await publicQuestions(db)
    .select(['questions.reference_year', 'questions.reference_number', 'questions.title'])
    .where((eb) => eb.or(wanted.map((r) => eb.and([eb('questions.reference_year', '=', r.year), eb('questions.reference_number', '=', r.number)]))))
    .execute();
  return new Map(rows.map((r) => [toLink(r).reference, toLink(r)]));
}

/** Public questions that follow this one up: marked as its follow-up, or citing its reference in their own text. */
export async function followedUpBy(db: Db, question: { id: number; year: number; number: number }): Promise<ThreadLink[]> {
  const reference = formatReference(question.year, question.number);
  const rows = await publicQuestions(db)
    .select(['questions.id', 'questions.reference_year', 'questions.reference_number', 'questions.title', 'questions.body', 'questions.follow_up_of_id'])
    .where('questions.id', '<>', question.id)
    .where((eb) =>
      eb.or([
        eb('questions.follow_up_of_id', '=', question.id),
        eb(
          'questions.id',
          'in',
          eb
            .selectFrom('question_references')
            .select('question_references.citing_question_id')
            .where('question_references.cited_year', '=', question.year)
            .where('question_references.cited_number', '=', question.number)
            .where('question_references.source', '=', 'question'),
        ),
      ]),
    )
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .limit(MAX_FOLLOW_UPS)
    .execute();
  // The table is a loose superset: keep only rows the parser agrees cite this reference.
  return rows
    .filter((r) => r.follow_up_of_id === question.id || findReferencesInText(`${r.title}\n${r.body}`).some((f) => f.reference === reference))
    .map(toLink);
}

/** Public questions whose published answers cite this one (confirmed by the parser). */
export async function citedInAnswersTo(db: Db, question: { id: number; year: number; number: number }): Promise<ThreadLink[]> {
  const reference = formatReference(question.year, question.number);
  const rows = await publicQuestions(db)
    .innerJoin('question_references', 'question_references.citing_question_id', 'questions.id')
    .select(['questions.id', 'questions.reference_year', 'questions.reference_number', 'questions.title'])
    .where('question_references.cited_year', '=', question.year)
    .where('question_references.cited_number', '=', question.number)
    .where('question_references.source', '=', 'answer')
    .where('questions.id', '<>', question.id)
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .limit(MAX_FOLLOW_UPS)
    .execute();
  if (rows.length === 0) return [];
  const answers = await db
    .selectFrom('answer_versions')
    .select(['question_id', 'body'])
    .where('question_id', 'in', rows.map((r) => r.id))
    .execute();
  const citing = new Set(answers.filter((a) => findReferencesInText(a.body).some((f) => f.reference === reference)).map((a) => a.question_id));
  return rows.filter((r) => citing.has(r.id)).map(toLink);
}

/** The question marked as followed up (if public), then public questions cited in its own title and text. */
export async function followsUp(
  db: Db,
  question: { id: number; year: number; number: number; followUpOfId: number | null },
  citedInText: ReadonlyMap<string, ThreadLink>,
): Promise<ThreadLink[]> {
  const links = new Map<string, ThreadLink>();
  if (question.followUpOfId !== null) {
    const row = await publicQuestions(db)
      .select(['questions.reference_year', 'questions.reference_number', 'questions.title'])
      .where('questions.id', '=', question.followUpOfId)
      .executeTakeFirst();
    if (row) links.set(toLink(row).reference, toLink(row));
  }
  const own = formatReference(question.year, question.number);
  for (const [reference, link] of citedInText) if (reference !== own && !links.has(reference)) links.set(reference, link);
  return [...links.values()];
}
