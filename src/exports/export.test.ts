// Exports stream the public record and import back: CSV and NDJSON into an empty database reproduce the same
// export; Popolo reproduces the people, bodies and memberships; the CLI writes to a file and filters.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Db } from '../db/database.ts';
import { runImport } from '../imports/run-import.ts';
import { CLI_BIN, cleanUpStores, freshStore } from '../testing/cli-store.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { exportChunks, type ExportFormat } from './export-command.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-export-test-'));
const day = (d: string) => `${d}T00:00:00`;
const record = (id: number, extra: Record<string, unknown>) => ({
  value: {
    id, uin: String(id), askingMemberId: 7 + (id % 3), answeringMemberId: 30, answeringBodyId: 4, answeringBodyName: 'Department for Rivers',
    dateTabled: day('2024-03-04'), dateForAnswer: day('2024-03-07'), dateAnswered: day('2024-03-06'), heading: `River question ${id}`,
    questionText: `To ask about river ${id}.`, answerText: `<p>River ${id} is clean.</p><p>Second paragraph.</p>`, answerIsHolding: false,
    answerIsCorrection: false, originalAnswerText: '', dateAnswerCorrected: null, dateHoldingAnswer: null, isNamedDay: false, isWithdrawn: false,
    groupedQuestions: [], attachments: [], ...extra,
  },
});
const source = [
  record(11, { isNamedDay: true, groupedQuestions: ['12'] }),
  record(12, { groupedQuestions: ['11'], dateHoldingAnswer: day('2024-03-05') }),
  record(13, { answerIsCorrection: true, originalAnswerText: 'River 13 was dirty.', dateAnswerCorrected: day('2024-03-20') }),
  record(14, { answerText: null, dateAnswered: null, answeringMemberId: null, isWithdrawn: true }),
  record(15, { answerText: 'Not yet.', answerIsHolding: true, dateHoldingAnswer: day('2024-03-06'), attachments: [{ title: 'Map', url: 'https://example.org/map.pdf', fileType: 'pdf', fileSizeBytes: 1200 }] }),
];

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
  fs.writeFileSync(path.join(dir, 'wq.json'), JSON.stringify(source));
  const summary = await runImport(t.db, { format: 'uk-parliament', location: path.join(dir, 'wq.json') });
  assert.equal(summary.created, source.length);
});
after(async () => {
  await t.close();
  await cleanUpStores();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function exported(db: Db, format: ExportFormat): Promise<string> {
  let text = '';
  for await (const chunk of exportChunks(db, format)) text += chunk;
  return text;
}

test('CSV and NDJSON exports imported into an empty database export the same again', async () => {
  for (const format of ['csv', 'ndjson'] as const) {
    const text = await exported(t.db, format);
    const file = path.join(dir, `record.${format}`);
    fs.writeFileSync(file, text);
    const empty = await createTestDatabase();
    try {
      const summary = await runImport(empty.db, { format, location: file });
      assert.deepEqual([summary.created, summary.skipped], [source.length, 0], format);
      assert.equal(await exported(empty.db, format), text, format);
    } finally {
      await empty.close();
    }
  }
  const lines = (await exported(t.db, 'ndjson')).trimEnd().split('\n').map((l) => JSON.parse(l) as { source_id: string; state: string; answers: { kind: string; corrects_version: number | null }[]; grouped_with: string[]; named_day: boolean });
  const byId = new Map(lines.map((l) => [l.source_id, l]));
  assert.deepEqual(byId.get('13')?.answers.map((a) => [a.kind, a.corrects_version]), [['substantive', null], ['correction', 1]]);
  assert.equal(byId.get('14')?.state, 'withdrawn');
  assert.deepEqual(byId.get('15')?.answers.map((a) => a.kind), ['holding']);
  assert.deepEqual(byId.get('11')?.grouped_with, ['12']);
  assert.equal(byId.get('11')?.named_day, true);
});

test('the Popolo export imports back with the same people, bodies and posts', async () => {
  const text = await exported(t.db, 'popolo');
  const doc = JSON.parse(text) as { persons: unknown[]; organizations: unknown[]; memberships: unknown[] };
  const file = path.join(dir, 'people.json');
  fs.writeFileSync(file, text);
  const empty = await createTestDatabase();
  try {
    const summary = await runImport(empty.db, { format: 'popolo', location: file });
    assert.equal(summary.created, doc.persons.length + doc.organizations.length + doc.memberships.length);
    const again = JSON.parse(await exported(empty.db, 'popolo')) as typeof doc;
    assert.deepEqual(again.persons, doc.persons);
    assert.deepEqual(again.organizations.length, doc.organizations.length);
  } finally {
    await empty.close();
  }
});

test('the export command writes a file, filters, and refuses an unknown format in one line', async () => {
  const store = await freshStore();
  const env = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...store.env };
  const run = (args: string[]) => spawnSync(process.execPath, [CLI_BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run(['import', path.join(dir, 'wq.json'), '--format', 'uk-parliament']).status, 0);
  const out = path.join(dir, 'cli.ndjson');
  const written = run(['export', '--format', 'ndjson', '--output', out]);
  assert.equal(written.status, 0, written.stderr);
  assert.equal(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, source.length);
  const filtered = run(['export', '--format', 'csv', '--year', '2023']);
  assert.equal(filtered.status, 0, filtered.stderr);
  assert.equal(filtered.stdout.trimEnd().split('\n').length, 1, 'only the header: nothing was tabled in 2023');
  const bad = run(['export', '--format', 'xml']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr.trim(), /^answerable: Unknown --format "xml": use one of ndjson, csv, popolo\.$/);
});
