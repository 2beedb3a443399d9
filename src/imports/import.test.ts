// Importing the real Commons written questions and Popolo files: figures match the source (computed here from the
// file), a second import changes nothing, an interrupted import resumes to the same record, and an export imports back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/database.ts';
import { exportQuestions, ndjsonLines } from '../exports/question-export.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { ImportAborted, runImport } from './run-import.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const COMMONS = path.join(DATA, 'uk-parliament-written-questions/commons-2023-12.json');
const LONGFORM = path.join(DATA, 'uk-parliament-written-questions/longform-2023-12.json');
const MINISTERS = path.join(DATA, 'popolo/ministers.json');
const missing = fs.existsSync(COMMONS) ? false : `the real data is not here (${DATA}); skipping the import tests on it`;
if (missing) console.log(`# ${missing}`);

interface Source {
  id: number; uin: string; dateTabled: string; dateAnswered: string | null; answerText: string | null; answerIsCorrection: boolean;
  originalAnswerText: string | null; isNamedDay: boolean; isWithdrawn: boolean; groupedQuestions: string[]; attachments: unknown[];
  dateHoldingAnswer: string | null; answerIsHolding: boolean; askingMemberId: number; answeringBodyName: string;
}

/** Everything a reader of the record sees, plus the people, bodies and reference counters: ids left out (they differ by run). */
async function snapshot(db: Db): Promise<string> {
  const lines: string[] = [];
  for await (const line of ndjsonLines(exportQuestions(db))) lines.push(line);
  const people = await db.selectFrom('people').select(['slug', 'name', 'source', 'source_id']).orderBy('slug').execute();
  const bodies = await db.selectFrom('organisations').select(['slug', 'name', 'classification', 'source', 'source_id']).orderBy('slug').execute();
  const sequences = await db.selectFrom('reference_sequences').selectAll().orderBy('year').execute();
  return JSON.stringify({ lines, people, bodies, sequences });
}

describe('importing the December 2023 Commons written questions', { skip: missing }, () => {
  let source: Source[] = [];
  let first: TestDatabase;
  let reference: string;
  before(async () => {
    source = (JSON.parse(fs.readFileSync(COMMONS, 'utf8')) as { value: Source }[]).map((item) => item.value);
    first = await createTestDatabase();
  });
  after(async () => {
    await first?.close();
  });

  // What the importer must refuse, by the model's rules: a correction whose original text is absent.
  const refused = (q: Source) => q.answerIsCorrection && !q.originalAnswerText;

  test('counts, states, named days, holding answers, corrections and grouped links match the file', async () => {
    const summary = await runImport(first.db, { format: 'uk-parliament', location: COMMONS, longForm: LONGFORM });
    const kept = source.filter((q) => !refused(q));
    assert.equal(summary.records, source.length);
    assert.equal(summary.created, kept.length);
    assert.equal(summary.skipped, source.length - kept.length);
    assert.deepEqual(
      summary.problems.map((p) => p.position),
      source.flatMap((q, i) => (refused(q) ? [`record ${i + 1} (id ${q.id})`] : [])),
    );
    const db = first.db;
    const count = async (table: 'questions' | 'answer_versions' | 'question_groupings' | 'question_attachments') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count('questions'), kept.length);
    const answered = kept.filter((q) => q.answerText && q.dateAnswered);
    const corrections = kept.filter((q) => q.answerIsCorrection);
    assert.equal(await count('answer_versions'), answered.length + corrections.length);
    assert.equal(await count('question_groupings'), kept.reduce((n, q) => n + new Set(q.groupedQuestions).size, 0));
    assert.equal(await count('question_attachments'), kept.reduce((n, q) => n + q.attachments.length, 0));
    const states = await db.selectFrom('questions').select(['state', (eb) => eb.fn.countAll().as('n')]).groupBy('state').execute();
    assert.deepEqual(Object.fromEntries(states.map((s) => [s.state, Number(s.n)])), {
      ...(kept.some((q) => !q.isWithdrawn) ? { accepted: kept.filter((q) => !q.isWithdrawn).length } : {}),
      ...(kept.some((q) => q.isWithdrawn) ? { withdrawn: kept.filter((q) => q.isWithdrawn).length } : {}),
    });
    const named = await db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).where('named_day', '=', true).executeTakeFirstOrThrow();
    assert.equal(Number(named.n), kept.filter((q) => q.isNamedDay).length);
    const holding = await db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).where('holding_answered_on', 'is not', null).executeTakeFirstOrThrow();
    assert.equal(Number(holding.n), kept.filter((q) => q.dateHoldingAnswer && !q.answerIsHolding).length);
    assert.equal(await count('answer_versions'), answered.length + corrections.length);
    // Imported answers carry their original dates; each imported question is audited as imported.
    const sample = answered[0] as Source;
    const version = await db
      .selectFrom('answer_versions')
      .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
      .select(['answer_versions.published_at', 'questions.reference_year', 'questions.reference_number', 'questions.asked_on'])
      .where('questions.source_id', '=', String(sample.id))
      .executeTakeFirstOrThrow();
    assert.equal(version.published_at.toISOString().slice(0, 10) <= (sample.dateAnswered ?? '').slice(0, 10), true);
    assert.equal(`${version.reference_year}/${version.reference_number}`, `${sample.dateTabled.slice(0, 4)}/${Number(sample.uin)}`);
    const audited = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'question.imported').executeTakeFirstOrThrow();
    assert.equal(Number(audited.n), kept.length);
    // Local numbering continues after the imported references.
    const sequence = await db.selectFrom('reference_sequences').select('last_number').where('year', '=', 2023).executeTakeFirstOrThrow();
    assert.equal(sequence.last_number, Math.max(...kept.filter((q) => q.dateTabled.startsWith('2023')).map((q) => Number(q.uin))));
    reference = await snapshot(db);
  });

  test('a second import of the same file changes nothing', async () => {
    const summary = await runImport(first.db, { format: 'uk-parliament', location: COMMONS, longForm: LONGFORM });
    assert.equal(summary.created, 0);
    assert.equal(summary.updated, 0);
    assert.equal(summary.unchanged, source.filter((q) => !refused(q)).length);
    assert.equal(await snapshot(first.db), reference);
    const runs = await first.db.selectFrom('import_runs').select(['state', 'created', 'unchanged', 'skipped']).orderBy('id').execute();
    assert.deepEqual(runs.map((r) => r.state), ['finished', 'finished']);
  });

  test('an import stopped after two batches leaves whole questions only, and a re-run ends with the same record', async () => {
    const other = await createTestDatabase();
    try {
      await assert.rejects(runImport(other.db, { format: 'uk-parliament', location: COMMONS, longForm: LONGFORM, batchSize: 500, abortAfterBatches: 2 }), ImportAborted);
      const partial = await other.db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.ok(Number(partial.n) > 0 && Number(partial.n) <= 1000, `${partial.n} questions after two batches`);
      // No question is half there: every stored question that the source answers has its answer.
      const answeredIds = new Set(source.filter((q) => q.answerText && !refused(q)).map((q) => String(q.id)));
      const bare = await other.db.selectFrom('questions').select('source_id').where('id', 'not in', other.db.selectFrom('answer_versions').select('question_id')).execute();
      assert.deepEqual(bare.filter((q) => answeredIds.has(q.source_id ?? '')), []);
      const resumed = await runImport(other.db, { format: 'uk-parliament', location: COMMONS, longForm: LONGFORM, batchSize: 500 });
      assert.equal(resumed.unchanged + resumed.created, source.filter((q) => !refused(q)).length);
      assert.equal(await snapshot(other.db), reference);
    } finally {
      await other.close();
    }
  });

  test('an NDJSON export imported into an empty database reproduces the record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-export-'));
    const empty = await createTestDatabase();
    try {
      const file = path.join(dir, 'record.ndjson');
      const out = fs.createWriteStream(file);
      for await (const line of ndjsonLines(exportQuestions(first.db))) out.write(line);
      await new Promise((resolve) => out.end(resolve));
      const summary = await runImport(empty.db, { format: 'ndjson', location: file });
      assert.equal(summary.skipped, 0);
      assert.equal(await snapshot(empty.db), reference);
    } finally {
      await empty.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('importing Popolo ministers', { skip: missing }, () => {
  test('people, organisations and memberships match the file, and a re-import updates nothing', async () => {
    const db = await createTestDatabase();
    try {
      const file = JSON.parse(fs.readFileSync(MINISTERS, 'utf8')) as { organizations: { id: string }[]; memberships: { person_id: string; organization_id: string }[] };
      const orgIds = new Set([...file.organizations.map((o) => o.id), ...file.memberships.map((m) => m.organization_id)]);
      const people = new Set(file.memberships.map((m) => m.person_id));
      const repeatedOrgs = file.organizations.length - new Set(file.organizations.map((o) => o.id)).size;
      const summary = await runImport(db.db, { format: 'popolo', location: MINISTERS });
      assert.equal(summary.skipped, repeatedOrgs);
      const counted = async (table: 'people' | 'organisations' | 'memberships') =>
        Number((await db.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('source', '=', 'popolo').executeTakeFirstOrThrow()).n);
      assert.equal(await counted('organisations'), orgIds.size);
      assert.equal(await counted('people'), people.size);
      assert.equal(await counted('memberships'), file.memberships.length);
      const audited = await db.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'membership.imported').executeTakeFirstOrThrow();
      assert.equal(Number(audited.n), file.memberships.length);
      const again = await runImport(db.db, { format: 'popolo', location: MINISTERS });
      assert.equal(again.created, 0);
      assert.equal(again.updated, 0);
      assert.equal(await counted('memberships'), file.memberships.length);
    } finally {
      await db.close();
    }
  });
});
