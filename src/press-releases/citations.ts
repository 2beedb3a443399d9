// Citations: a reference (and optional version) resolved to one published answer version of a public question, and
// the blocks a release shows, read from the record each time ("Question From ..." / "Answer by ..."), never stored text.
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { formatReference, parseReference } from '../questions/reference.ts';

export interface ResolvedCitation {
  questionId: number;
  answerVersionId: number;
  kind: 'written' | 'oral';
  meetingId: number | null;
  pinned: boolean;
}

/**
 * The answer version a citation quotes: the one named, or the latest published substantive (or corrected) answer.
 * Refuses, with the field to blame, questions that are not public, withdrawn, unanswered, or a version that does not exist.
 * `keep` holds a release's existing citations by question, so saving again never moves a quotation to a newer version.
 */
export async function resolveCitation(
  db: Db,
  input: { reference: string; version?: number | undefined },
  field: string,
  now: Date,
  keep: ReadonlyMap<number, { answerVersionId: number; pinned: boolean }> = new Map(),
): Promise<ResolvedCitation> {
  const refuse = (message: string): never => {
    throw new AppError('validation_failed', message, { fields: { [field]: message } });
  };
  const parts = parseReference(input.reference.trim());
  if (!parts) return refuse(`“${input.reference.slice(0, 40)}” is not a question reference: enter one like 2009/0123`);
  const reference = formatReference(parts.year, parts.number);
  const question = await db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select(['questions.id', 'questions.state', 'questions.question_type', 'meetings.id as meeting_id'])
    .where('questions.reference_year', '=', parts.year)
    .where('questions.reference_number', '=', parts.number)
    .executeTakeFirst();
  // Drafts, tabled and rejected questions carry no reference, so an unknown reference and an unpublished one read the same.
  if (!question || (question.state !== 'accepted' && question.state !== 'withdrawn')) return refuse(`There is no published question ${reference}`);
  if (question.state === 'withdrawn') return refuse(`Question ${reference} was withdrawn, so there is no answer to cite`);
  const versions = await db
    .selectFrom('answer_versions')
    .select(['id', 'version', 'kind', 'delivery'])
    .where('question_id', '=', question.id)
    .where('published_at', '<=', now)
    .orderBy('version', 'desc')
    .execute();
  if (versions.length === 0) return refuse(`Question ${reference} has not been answered yet, so there is no answer to cite`);
  let chosen: (typeof versions)[number] | undefined;
  let pinned = false;
  const kept = keep.get(question.id);
  if (input.version !== undefined) {
    chosen = versions.find((v) => v.version === input.version);
    if (!chosen) return refuse(`Question ${reference} has no published answer version ${input.version}`);
    pinned = true;
  } else if (kept) {
    chosen = versions.find((v) => v.id === kept.answerVersionId);
    pinned = kept.pinned;
  }
  chosen ??= versions.find((v) => v.kind !== 'holding');
  if (!chosen) return refuse(`Question ${reference} has only a holding answer so far; to quote it, name the version, like ${reference} version 1`);
  const kind = chosen.delivery === 'oral' ? 'oral' : 'written';
  return { questionId: question.id, answerVersionId: chosen.id, kind, meetingId: kind === 'oral' ? question.meeting_id : null, pinned };
}

export interface CitationBlock {
  position: number;
  kind: 'written' | 'oral';
  reference: string;
  questionUrl: string;
  questionTitle: string;
  questionText: string;
  asker: { name: string; slug: string };
  answerer: { name: string; label: string };
  answerText: string;
  answerVersion: number;
  answerVersionId: number;
  answerPublishedAt: Date;
  meeting: { title: string; date: string; slug: string };
  /** A later correction of the cited answer: the quotation stays as cited, with a link to what changed. */
  correction: { version: number; publishedAt: Date; url: string; note: string | null } | null;
}

/** The citation blocks of releases, by release id, in position order, from the record as it stands at `now`. */
export async function citationBlocks(db: Db, releaseIds: readonly number[], now: Date): Promise<Map<number, CitationBlock[]>> {
  const byRelease = new Map<number, CitationBlock[]>();
  if (releaseIds.length === 0) return byRelease;
  const rows = await db
    .selectFrom('press_release_citations as c')
    .innerJoin('questions as q', 'q.id', 'c.question_id')
    .innerJoin('people as asker', 'asker.id', 'q.asker_id')
    .innerJoin('meetings as m', 'm.id', 'q.meeting_id')
    .innerJoin('answer_versions as v', (join) => join.onRef('v.id', '=', 'c.answer_version_id').onRef('v.question_id', '=', 'c.question_id'))
    .innerJoin('people as answerer', 'answerer.id', 'v.answered_by_id')
    .select([
      'c.press_release_id',
      'c.position',
      'c.kind',
      'q.id as question_id',
      'q.reference_year',
      'q.reference_number',
      'q.title',
      'q.body as question_text',
      'asker.name as asker_name',
      'asker.slug as asker_slug',
      'answerer.name as answerer_name',
      'v.answered_by_label',
      'v.body as answer_text',
      'v.version',
      'v.id as version_id',
      'v.published_at',
      'm.title as meeting_title',
      'm.meets_on',
      'm.slug as meeting_slug',
    ])
    .where('c.press_release_id', 'in', releaseIds)
    .orderBy('c.press_release_id')
    .orderBy('c.position')
    .execute();
  const corrections =
    rows.length === 0
      ? []
      : await db
          .selectFrom('answer_versions')
          .select(['question_id', 'version', 'published_at', 'correction_note'])
          .where('kind', '=', 'correction')
          .where('published_at', '<=', now)
          .where('question_id', 'in', [...new Set(rows.map((r) => r.question_id))])
          .orderBy('version', 'desc')
          .execute();
  for (const row of rows) {
    const reference = formatReference(row.reference_year ?? 1900, row.reference_number ?? 1);
    const questionUrl = `/questions/${reference}`;
    const later = corrections.find((c) => c.question_id === row.question_id && c.version > row.version);
    const block: CitationBlock = {
      position: row.position,
      kind: row.kind,
      reference,
      questionUrl,
      questionTitle: row.title,
      questionText: row.question_text,
      asker: { name: row.asker_name, slug: row.asker_slug },
      answerer: { name: row.answerer_name, label: row.answered_by_label },
      answerText: row.answer_text,
      answerVersion: row.version,
      answerVersionId: row.version_id,
      answerPublishedAt: row.published_at,
      meeting: { title: row.meeting_title, date: row.meets_on, slug: row.meeting_slug },
      correction: later ? { version: later.version, publishedAt: later.published_at, url: `${questionUrl}#version-${later.version}`, note: later.correction_note } : null,
    };
    const list = byRelease.get(row.press_release_id) ?? [];
    list.push(block);
    byRelease.set(row.press_release_id, list);
  }
  return byRelease;
}

/** Answered public questions matching the words, for the composer's search box (newest first). */
export async function searchCitable(db: Db, words: string, now: Date, limit = 10) {
  // Every word must appear in the title or the text (in any order); a reference finds its question directly.
  const terms = words.trim().slice(0, 200).split(/\s+/).filter(Boolean).slice(0, 8);
  if (terms.length === 0) return [];
  const like = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const reference = parseReference(words.trim());
  let query = db
    .selectFrom('questions as q')
    .innerJoin('people as asker', 'asker.id', 'q.asker_id')
    .innerJoin('meetings as m', 'm.id', 'q.meeting_id')
    .select(['q.reference_year', 'q.reference_number', 'q.title', 'q.question_type', 'asker.name as asker_name', 'm.meets_on'])
    .where('q.state', '=', 'accepted')
    .where('q.reference_number', 'is not', null);
  if (reference) query = query.where('q.reference_year', '=', reference.year).where('q.reference_number', '=', reference.number);
  else for (const term of terms) query = query.where((eb) => eb.or([eb('q.title', 'ilike', like(term)), eb('q.body', 'ilike', like(term))]));
  const rows = await query
    .where((eb) => eb.exists(eb.selectFrom('answer_versions as v').select('v.id').whereRef('v.question_id', '=', 'q.id').where('v.published_at', '<=', now)))
    .orderBy('m.meets_on', 'desc')
    .orderBy('q.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    reference: formatReference(r.reference_year ?? 1900, r.reference_number ?? 1),
    title: r.title,
    type: r.question_type,
    askerName: r.asker_name,
    meetsOn: r.meets_on,
  }));
}
