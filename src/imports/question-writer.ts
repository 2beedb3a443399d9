// Writes one batch of imported questions in the caller's transaction: each question with its answer versions,
// grouped links and attachments together, matched by source identifiers so a repeat changes nothing.
import { sql } from 'kysely';
import { londonDateTime } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { formatReference } from '../questions/reference.ts';
import { digestOf, type ImportAnswer, type ImportQuestion, type PartyRef } from './import-model.ts';
import { ensureParties, partyKey } from './parties.ts';

export interface Skipped {
  position: string;
  problem: string;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  skipped: Skipped[];
}

export interface Positioned {
  position: string;
  question: ImportQuestion;
}

const startOfDay = (day: string) => londonDateTime(day, '00:00');
const questionKey = (q: { source: string; sourceId: string }) => `${q.source}\u0000${q.sourceId}`;
const refKey = (year: number, number: number) => `${year}/${number}`;

function questionRow(q: ImportQuestion, ids: { asker: number; body: number | null }, digest: string) {
  return {
    reference_year: q.reference.year,
    reference_number: q.reference.number,
    question_type: q.type,
    state: q.withdrawnOn ? ('withdrawn' as const) : ('accepted' as const),
    title: q.title,
    body: q.body,
    asker_id: ids.asker,
    answering_body_id: ids.body,
    // Imported questions belong to no meeting of ours (migration 0008 allows it; the column type predates that).
    meeting_id: null as unknown as number,
    tabled_at: startOfDay(q.askedOn),
    decided_at: startOfDay(q.askedOn),
    asked_on: q.askedOn,
    due_on: q.dueOn,
    withdrawn_at: q.withdrawnOn ? startOfDay(q.withdrawnOn) : null,
    withdrawal_reason: q.withdrawalReason,
    source: q.source,
    source_id: q.sourceId,
    source_reference: q.sourceReference,
    source_digest: digest,
    named_day: q.namedDay,
    holding_answered_on: q.holdingAnsweredOn,
  };
}

// One statement per table and batch with a column of values per array parameter: planning a multi-row VALUES list
// of thousands of parameters costs the server more than the insert itself.
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

async function insertQuestions(trx: Db, rows: ReturnType<typeof questionRow>[]) {
  const col = <K extends keyof ReturnType<typeof questionRow>>(key: K) => rows.map((r) => r[key]);
  const result = await sql<{ id: number; source: string | null; source_id: string | null }>`
    INSERT INTO questions (reference_year, reference_number, question_type, state, title, body, asker_id, answering_body_id, meeting_id,
      tabled_at, decided_at, asked_on, due_on, withdrawn_at, withdrawal_reason, source, source_id, source_reference, source_digest, named_day, holding_answered_on)
    SELECT * FROM unnest(${col('reference_year')}::int[], ${col('reference_number')}::int[], ${col('question_type')}::text[], ${col('state')}::text[],
      ${col('title')}::text[], ${col('body')}::text[], ${col('asker_id')}::int[], ${col('answering_body_id')}::int[], ${rows.map(() => null)}::int[],
      ${rows.map((r) => iso(r.tabled_at))}::timestamptz[], ${rows.map((r) => iso(r.decided_at))}::timestamptz[], ${col('asked_on')}::date[], ${col('due_on')}::date[],
      ${rows.map((r) => iso(r.withdrawn_at))}::timestamptz[], ${col('withdrawal_reason')}::text[], ${col('source')}::text[], ${col('source_id')}::text[],
      ${col('source_reference')}::text[], ${col('source_digest')}::text[], ${col('named_day')}::boolean[], ${col('holding_answered_on')}::date[])
    RETURNING id, source, source_id`.execute(trx);
  return result.rows;
}

interface VersionRow {
  question_id: number;
  version: number;
  kind: string;
  body: string;
  answered_by_id: number;
  answered_by_label: string;
  published_at: Date;
  corrects_version_id: number | null;
  correction_note: string | null;
  source: string;
  source_id: string;
}

async function insertAnswerVersions(trx: Db, rows: VersionRow[]) {
  const col = <K extends keyof VersionRow>(key: K) => rows.map((r) => r[key]);
  const result = await sql<{ id: number; source_id: string | null }>`
    INSERT INTO answer_versions (question_id, version, kind, body, answered_by_id, answered_by_label, published_at, corrects_version_id, correction_note, source, source_id)
    SELECT * FROM unnest(${col('question_id')}::int[], ${col('version')}::int[], ${col('kind')}::text[], ${col('body')}::text[], ${col('answered_by_id')}::int[],
      ${col('answered_by_label')}::text[], ${rows.map((r) => r.published_at.toISOString())}::timestamptz[], ${col('corrects_version_id')}::int[],
      ${col('correction_note')}::text[], ${col('source')}::text[], ${col('source_id')}::text[])
    RETURNING id, source_id`.execute(trx);
  return result.rows;
}

/** Inserts the answers not yet stored, oldest first, numbering after what is there; a correction finds its original by key. */
async function writeAnswers(trx: Db, items: { id: number; q: ImportQuestion; isNew: boolean }[], people: Map<string, number>): Promise<number[]> {
  if (items.length === 0) return [];
  // A question created in this batch has no answers yet: only updated ones are looked up.
  const ids = items.filter((item) => !item.isNew).map((item) => item.id);
  const stored =
    ids.length === 0 ? [] : await trx.selectFrom('answer_versions').select(['id', 'question_id', 'version', 'source_id']).where('question_id', '=', sql<number>`ANY(${ids}::integer[])`).execute();
  const versionIds = new Map<string, number>();
  const lastVersion = new Map<number, number>();
  for (const row of stored) {
    if (row.source_id) versionIds.set(row.source_id, row.id);
    lastVersion.set(row.question_id, Math.max(lastVersion.get(row.question_id) ?? 0, row.version));
  }
  const pending = items.map((item) => ({ ...item, answers: item.q.answers.filter((a) => !versionIds.has(`${item.q.sourceId}:${a.key}`)) }));
  const written: number[] = [];
  // Round by round (first missing answer of each question, then the second ...) so a correction's original exists first.
  for (let round = 0; pending.some((p) => p.answers.length > round); round += 1) {
    const rows = pending.flatMap((p): VersionRow[] => {
      const a: ImportAnswer | undefined = p.answers[round];
      if (!a) return [];
      const version = (lastVersion.get(p.id) ?? 0) + 1;
      lastVersion.set(p.id, version);
      const corrects = a.corrects === null ? null : versionIds.get(`${p.q.sourceId}:${a.corrects}`);
      if (corrects === undefined) throw new Error(`correction of ${p.q.sourceId} has no stored original`);
      return [
        {
          question_id: p.id,
          version,
          kind: a.kind,
          body: a.body,
          answered_by_id: people.get(partyKey(a.answeredBy)) as number,
          answered_by_label: a.label,
          published_at: startOfDay(a.publishedOn),
          corrects_version_id: corrects,
          correction_note: a.correctionNote,
          source: p.q.source,
          source_id: `${p.q.sourceId}:${a.key}`,
        },
      ];
    });
    const inserted = await insertAnswerVersions(trx, rows);
    for (const row of inserted) if (row.source_id) versionIds.set(row.source_id, row.id);
    written.push(...inserted.map((row) => row.id));
  }
  return written;
}

async function writeLinks(trx: Db, items: { id: number; q: ImportQuestion }[], replace: boolean): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((item) => item.id);
  if (replace) {
    await trx.deleteFrom('question_groupings').where('question_id', 'in', ids).execute();
    await trx.deleteFrom('question_attachments').where('question_id', 'in', ids).execute();
  }
  const groupings = items.flatMap((item) => item.q.grouped.map((reference) => ({ question_id: item.id, grouped_reference: reference })));
  if (groupings.length > 0) await trx.insertInto('question_groupings').values(groupings).execute();
  const attachments = items.flatMap((item) =>
    item.q.attachments.map((a, index) => ({ question_id: item.id, position: index + 1, title: a.title, url: a.url, file_type: a.fileType, size_bytes: a.sizeBytes })),
  );
  if (attachments.length > 0) await trx.insertInto('question_attachments').values(attachments).execute();
}

/**
 * Brings the planner's statistics up to date for what an import looks up. A bulk load grows the tables faster than
 * autovacuum (off on some servers) re-analyses them, and plans made for an empty table (a scan of the table in
 * place of an index lookup per record) make each batch slower than the one before. The caller runs it as the
 * tables double, so the cost stays a small constant share of the import. Only the columns the import's lookups
 * filter on are analysed: the whole questions table would also sample its full-text index expression, ten times
 * the cost; the rest is left to autovacuum.
 */
export async function refreshImportStatistics(db: Db): Promise<void> {
  await sql`ANALYZE questions (id, source, source_id, reference_year, reference_number), answer_versions (question_id, kind),
    question_search (question_id), question_references (citing_question_id), question_groupings (question_id),
    question_attachments (question_id), people (source, source_id), organisations (source, source_id)`.execute(db);
}

/** Writes a batch; the caller's transaction makes it all-or-nothing. */
export async function writeQuestionBatch(trx: Db, batch: Positioned[], context: { runId: number; format: string }): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { created: 0, updated: 0, unchanged: 0, skipped: [] };
  // The same question twice in one batch, or two questions claiming one reference: the later one is skipped.
  const seen = new Map<string, string>();
  const refsSeen = new Map<string, string>();
  const unique: Positioned[] = [];
  for (const item of batch) {
    const key = questionKey(item.question);
    const ref = refKey(item.question.reference.year, item.question.reference.number);
    const earlier = seen.get(key);
    const refEarlier = refsSeen.get(ref);
    if (earlier) outcome.skipped.push({ position: item.position, problem: `the same question (${item.question.sourceId}) as ${earlier}` });
    else if (refEarlier) outcome.skipped.push({ position: item.position, problem: `reference ${formatReference(item.question.reference.year, item.question.reference.number)} is also used by ${refEarlier}` });
    else {
      seen.set(key, item.position);
      refsSeen.set(ref, item.position);
      unique.push(item);
    }
  }
  if (unique.length === 0) return outcome;

  const stored = new Map<string, { id: number; digest: string | null }>();
  for (const source of new Set(unique.map((item) => item.question.source))) {
    const ids = unique.filter((item) => item.question.source === source).map((item) => item.question.sourceId);
    const rows = await trx.selectFrom('questions').select(['id', 'source_id', 'source_digest']).where('source', '=', source).where('source_id', '=', sql<string>`ANY(${ids}::text[])`).execute();
    for (const row of rows) stored.set(questionKey({ source, sourceId: row.source_id ?? '' }), { id: row.id, digest: row.source_digest });
  }
  const years = unique.map((item) => item.question.reference.year);
  const numbers = unique.map((item) => item.question.reference.number);
  const holders = await sql<{ id: number; reference_year: number; reference_number: number }>`
    SELECT q.id, q.reference_year, q.reference_number FROM questions q
    JOIN unnest(${years}::int[], ${numbers}::int[]) AS r(y, n) ON q.reference_year = r.y AND q.reference_number = r.n`.execute(trx);
  const holderOf = new Map(holders.rows.map((row) => [refKey(row.reference_year, row.reference_number), row.id]));
  const creates: { item: Positioned; digest: string }[] = [];
  const updates: { item: Positioned; id: number; digest: string }[] = [];
  for (const item of unique) {
    const q = item.question;
    const digest = digestOf(q);
    const mine = stored.get(questionKey(q));
    const holder = holderOf.get(refKey(q.reference.year, q.reference.number));
    if (holder !== undefined && holder !== mine?.id) {
      outcome.skipped.push({ position: item.position, problem: `reference ${formatReference(q.reference.year, q.reference.number)} already belongs to another question` });
    } else if (!mine) creates.push({ item, digest });
    else if (mine.digest === digest) outcome.unchanged += 1;
    else updates.push({ item, id: mine.id, digest });
  }
  const toWrite = [...creates, ...updates];
  if (toWrite.length === 0) return outcome;
  // The search row of each question is written once for the batch, after its answers, not once per row and
  // again per answer; it is switched back on (and the rows written) before the batch's transaction ends.
  await sql`SELECT set_config('answerable.search_deferred', 'on', true)`.execute(trx);
  const peopleRefs: PartyRef[] = toWrite.flatMap(({ item }) => [item.question.asker, ...item.question.answers.map((a) => a.answeredBy)]);
  const people = await ensureParties(trx, 'people', peopleRefs, { prefix: 'Member' });
  const bodyRefs = toWrite.flatMap(({ item }) => (item.question.answeringBody ? [item.question.answeringBody] : []));
  const bodies = await ensureParties(trx, 'organisations', bodyRefs, { prefix: 'Body', classification: 'functional_body' });
  const idsOf = (q: ImportQuestion) => ({ asker: people.get(partyKey(q.asker)) as number, body: q.answeringBody ? (bodies.get(partyKey(q.answeringBody)) ?? null) : null });
  let created: { id: number; q: ImportQuestion }[] = [];
  if (creates.length > 0) {
    const rows = await insertQuestions(trx, creates.map(({ item, digest }) => questionRow(item.question, idsOf(item.question), digest)));
    const byKey = new Map(rows.map((row) => [questionKey({ source: row.source ?? '', sourceId: row.source_id ?? '' }), row.id]));
    created = creates.map(({ item }) => ({ id: byKey.get(questionKey(item.question)) as number, q: item.question }));
  }
  const updated = updates.map(({ item, id }) => ({ id, q: item.question }));
  for (const { item, id, digest } of updates) {
    const { source: _s, source_id: _i, ...changes } = questionRow(item.question, idsOf(item.question), digest);
    await trx.updateTable('questions').set({ ...changes, updated_at: new Date() }).where('id', '=', id).execute();
  }
  const all = [...created, ...updated];
  await writeAnswers(trx, [...created.map((c) => ({ ...c, isNew: true })), ...updated.map((u) => ({ ...u, isNew: false }))], people);
  await writeLinks(trx, created, false);
  await writeLinks(trx, updated, true);

  // Later local questions must number after the imported ones.
  const maxByYear = new Map<number, number>();
  for (const { q } of all) maxByYear.set(q.reference.year, Math.max(maxByYear.get(q.reference.year) ?? 0, q.reference.number));
  for (const [year, last] of maxByYear) {
    await trx
      .insertInto('reference_sequences')
      .values({ year, last_number: last })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last_number: sql<number>`GREATEST(reference_sequences.last_number, excluded.last_number)` }))
      .execute();
  }
  const audit = all.map(({ id, q }, index) => ({
    actor_id: null,
    actor_label: `import #${context.runId}`,
    action: index < created.length ? 'question.imported' : 'question.import_updated',
    record_type: 'question' as const,
    record_id: id,
    from_state: null,
    to_state: q.withdrawnOn ? 'withdrawn' : 'accepted',
    details: JSON.stringify({ import_run: context.runId, format: context.format, source: q.source, source_id: q.sourceId, answers: q.answers.map((a) => ({ kind: a.kind, published_on: a.publishedOn })) }),
  }));
  await trx.insertInto('audit_events').values(audit).execute();
  await sql`SELECT set_config('answerable.search_deferred', 'off', true)`.execute(trx);
  if (all.length > 0) await sql`SELECT question_search_refresh_many(${all.map(({ id }) => id)}::integer[])`.execute(trx);
  outcome.created = created.length;
  outcome.updated = updated.length;
  return outcome;
}
