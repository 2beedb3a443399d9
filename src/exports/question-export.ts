// The public record as NDJSON or CSV, streamed in keyset-paged batches (constant memory on a million questions).
// The CLI export and the site's downloads both use these; the NDJSON imports back (--format ndjson).
import { stringify } from 'csv-stringify/sync';
import type { SelectQueryBuilder } from 'kysely';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { CSV_COLUMN_NAMES } from '../imports/formats/csv.ts';
import { NATIVE_SOURCE } from '../imports/formats/ndjson.ts';
import { formatReference } from '../questions/reference.ts';

export interface ExportFilters {
  year?: number;
  from?: string;
  to?: string;
  body?: string;
  member?: string;
  source?: string;
  /** A subquery of question ids (the site's search: src/search matchingQuestionIds). */
  ids?: SelectQueryBuilder<never, never, { question_id: number }>;
}

export interface ExportParty {
  slug: string;
  name: string;
  source: string;
  source_id: string;
}

export interface ExportAnswer {
  version: number;
  key: string;
  kind: 'holding' | 'substantive' | 'correction';
  delivery: 'written' | 'oral';
  body: string;
  published_on: string;
  published_at: string;
  answered_by: ExportParty;
  label: string;
  corrects_version: number | null;
  correction_note: string | null;
}

export interface ExportQuestion {
  reference: string;
  source: string;
  source_id: string;
  source_reference: string;
  type: 'written' | 'oral';
  state: 'accepted' | 'withdrawn';
  title: string;
  question: string;
  asker: ExportParty;
  answering_body: ExportParty | null;
  meeting: string | null;
  asked_on: string;
  due_on: string | null;
  named_day: boolean;
  holding_answered_on: string | null;
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  answers: ExportAnswer[];
  grouped_with: string[];
  attachments: { title: string; url: string | null; file_type: string | null; size_bytes: number | null }[];
}

const day = (value: Date | string | null | undefined): string | null => (value === null || value === undefined ? null : value instanceof Date ? londonDate(value) : value.slice(0, 10));

function partyOf(row: { id: number; slug: string; name: string; source: string | null; source_id: string | null } | undefined): ExportParty {
  if (!row) throw new Error('a question names a person or body that is not in the record');
  return { slug: row.slug, name: row.name, source: row.source ?? NATIVE_SOURCE, source_id: row.source_id ?? row.slug };
}

/** Every public question (accepted or withdrawn; supplementaries travel with their oral questions' transcripts), oldest id first. */
export async function* exportQuestions(db: Db, filters: ExportFilters = {}, batchSize = 500): AsyncGenerator<ExportQuestion> {
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom('questions')
      .leftJoin('meetings', 'meetings.id', 'questions.meeting_id')
      .select([
        'questions.id', 'questions.reference_year', 'questions.reference_number', 'questions.question_type', 'questions.state', 'questions.title',
        'questions.body', 'questions.asker_id', 'questions.answering_body_id', 'questions.asked_on', 'questions.due_on', 'questions.tabled_at',
        'questions.named_day', 'questions.holding_answered_on', 'questions.withdrawn_at', 'questions.withdrawal_reason', 'questions.source',
        'questions.source_id', 'questions.source_reference', 'meetings.slug as meeting_slug',
      ])
      .where('questions.state', 'in', ['accepted', 'withdrawn'])
      .where('questions.question_type', '<>', 'supplementary')
      .where('questions.reference_number', 'is not', null)
      .where('questions.id', '>', after)
      .orderBy('questions.id')
      .limit(batchSize);
    if (filters.year !== undefined) query = query.where('questions.reference_year', '=', filters.year);
    if (filters.from) query = query.where('questions.asked_on', '>=', filters.from);
    if (filters.to) query = query.where('questions.asked_on', '<=', filters.to);
    if (filters.source) query = query.where('questions.source', '=', filters.source);
    if (filters.body) query = query.where('questions.answering_body_id', 'in', db.selectFrom('organisations').select('id').where('slug', '=', filters.body));
    if (filters.member) query = query.where('questions.asker_id', 'in', db.selectFrom('people').select('id').where('slug', '=', filters.member));
    if (filters.ids) query = query.where('questions.id', 'in', filters.ids as never);
    const questions = await query.execute();
    if (questions.length === 0) return;
    after = questions[questions.length - 1]?.id ?? after;
    const ids = questions.map((q) => q.id);
    const [versions, groupings, attachments] = await Promise.all([
      db.selectFrom('answer_versions').selectAll().where('question_id', 'in', ids).orderBy('question_id').orderBy('version').execute(),
      db.selectFrom('question_groupings').selectAll().where('question_id', 'in', ids).orderBy('grouped_reference').execute(),
      db.selectFrom('question_attachments').selectAll().where('question_id', 'in', ids).orderBy('position').execute(),
    ]);
    const personIds = [...new Set([...questions.map((q) => q.asker_id), ...versions.map((v) => v.answered_by_id)])];
    const bodyIds = [...new Set(questions.flatMap((q) => (q.answering_body_id === null ? [] : [q.answering_body_id])))];
    const people = new Map((await db.selectFrom('people').select(['id', 'slug', 'name', 'source', 'source_id']).where('id', 'in', personIds).execute()).map((p) => [p.id, p]));
    const bodies = new Map(bodyIds.length === 0 ? [] : (await db.selectFrom('organisations').select(['id', 'slug', 'name', 'source', 'source_id']).where('id', 'in', bodyIds).execute()).map((o) => [o.id, o]));
    for (const q of questions) {
      const own = versions.filter((v) => v.question_id === q.id);
      const versionNumber = new Map(own.map((v) => [v.id, v.version]));
      const sourceId = q.source_id ?? formatReference(q.reference_year as number, q.reference_number as number);
      yield {
        reference: formatReference(q.reference_year as number, q.reference_number as number),
        source: q.source ?? NATIVE_SOURCE,
        source_id: sourceId,
        source_reference: q.source_reference ?? formatReference(q.reference_year as number, q.reference_number as number),
        type: q.question_type === 'oral' ? 'oral' : 'written',
        state: q.state === 'withdrawn' ? 'withdrawn' : 'accepted',
        title: q.title,
        question: q.body,
        asker: partyOf(people.get(q.asker_id)),
        answering_body: q.answering_body_id === null ? null : partyOf(bodies.get(q.answering_body_id)),
        meeting: q.meeting_slug ?? null,
        asked_on: day(q.asked_on) ?? day(q.tabled_at) ?? '',
        due_on: day(q.due_on),
        named_day: q.named_day,
        holding_answered_on: day(q.holding_answered_on),
        withdrawn_on: day(q.withdrawn_at),
        withdrawal_reason: q.withdrawal_reason,
        answers: own.map((v) => ({
          version: v.version,
          key: v.source_id && v.source_id.startsWith(`${sourceId}:`) ? v.source_id.slice(sourceId.length + 1) : `v${v.version}`,
          kind: v.kind,
          delivery: v.delivery,
          body: v.body,
          published_on: day(v.published_at) ?? '',
          published_at: new Date(v.published_at).toISOString(),
          answered_by: partyOf(people.get(v.answered_by_id)),
          label: v.answered_by_label,
          corrects_version: v.corrects_version_id === null ? null : (versionNumber.get(v.corrects_version_id) ?? null),
          correction_note: v.correction_note,
        })),
        grouped_with: groupings.filter((g) => g.question_id === q.id).map((g) => g.grouped_reference),
        attachments: attachments
          .filter((a) => a.question_id === q.id)
          .map((a) => ({ title: a.title, url: a.url, file_type: a.file_type, size_bytes: a.size_bytes === null ? null : Number(a.size_bytes) })),
      };
    }
  }
}

export async function* ndjsonLines(questions: AsyncIterable<ExportQuestion>): AsyncGenerator<string> {
  for await (const q of questions) yield `${JSON.stringify(q)}\n`;
}

/** One CSV row per question in the import template's columns: the latest answer, its original when corrected, the holding answer. */
export function csvRowOf(q: ExportQuestion): string[] {
  const holding = q.answers.find((a) => a.kind === 'holding');
  const latest = [...q.answers].reverse().find((a) => a.kind !== 'holding');
  const original = latest?.kind === 'correction' ? q.answers.find((a) => a.version === latest.corrects_version) : undefined;
  const values: Record<string, string> = {
    reference: q.reference,
    source_id: q.source === 'csv' && q.source_id !== q.reference ? q.source_id : '',
    type: q.type,
    title: q.title,
    question: q.question,
    asker: q.asker.name,
    asker_id: q.asker.slug,
    asked_on: q.asked_on,
    due_on: q.due_on ?? '',
    named_day: q.named_day ? 'yes' : 'no',
    answering_body: q.answering_body?.name ?? '',
    answering_body_id: q.answering_body?.slug ?? '',
    holding_answer: holding?.body ?? '',
    holding_answered_on: holding?.published_on ?? q.holding_answered_on ?? '',
    original_answer: original?.body ?? '',
    original_answered_on: original?.published_on ?? '',
    answer: latest?.body ?? '',
    answered_on: latest?.published_on ?? '',
    answered_by: latest?.answered_by.name ?? holding?.answered_by.name ?? '',
    answered_by_id: latest?.answered_by.slug ?? holding?.answered_by.slug ?? '',
    answer_label: latest?.label ?? holding?.label ?? '',
    correction_note: latest?.kind === 'correction' ? (latest.correction_note ?? '') : '',
    withdrawn_on: q.withdrawn_on ?? '',
    withdrawal_reason: q.withdrawal_reason ?? '',
    grouped_with: q.grouped_with.join('; '),
    attachments: q.attachments.map((a) => (a.url ? `${a.title} <${a.url}>` : a.title)).join('\n'),
  };
  return CSV_COLUMN_NAMES.map((name) => values[name] ?? '');
}

export async function* csvLines(questions: AsyncIterable<ExportQuestion>): AsyncGenerator<string> {
  yield stringify([CSV_COLUMN_NAMES]);
  for await (const q of questions) yield stringify([csvRowOf(q)]);
}
