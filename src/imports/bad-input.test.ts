// Bad input: a file that is not JSON or CSV, the wrong format, a truncated file, contradictory or unsafe records.
// Each gives a clear message naming the record; nothing is half-written; --strict writes nothing at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CLI_BIN, cleanUpStores, freshStore } from '../testing/cli-store.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { csvTemplate } from './formats/csv.ts';
import { runImport } from './run-import.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-bad-input-'));
const file = (name: string, content: string) => {
  const full = path.join(dir, name);
  fs.writeFileSync(full, content);
  return full;
};

function question(id: number, overrides: Record<string, unknown> = {}) {
  return {
    value: {
      id, uin: String(100 + id), askingMemberId: 10, answeringMemberId: 20, answeringBodyId: 1, answeringBodyName: 'Department for Testing',
      dateTabled: '2023-12-04T00:00:00', dateForAnswer: '2023-12-07T00:00:00', dateAnswered: '2023-12-06T00:00:00',
      heading: `Heading ${id}`, questionText: `To ask the Minister question ${id}.`, answerText: `<p>Answer ${id} &amp; more.</p>`,
      answerIsHolding: false, answerIsCorrection: false, originalAnswerText: '', dateAnswerCorrected: null, dateHoldingAnswer: null,
      isNamedDay: false, isWithdrawn: false, groupedQuestions: [], attachments: [], ...overrides,
    },
    links: [],
  };
}

const records = [
  question(1),
  question(2, { dateAnswered: '2023-12-01T00:00:00' }),
  question(3, { answerIsCorrection: true, dateAnswerCorrected: '2023-12-08T00:00:00' }),
  question(4, { uin: null }),
  question(5, { questionText: 'To ask \u0007 about bells.' }),
  question(6, { answerText: 'Fine.<script>alert(1)</script>' }),
  question(7, { answerIsCorrection: true, originalAnswerText: 'The first answer.', dateAnswerCorrected: '2023-12-08T00:00:00', groupedQuestions: ['101'] }),
];

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
  await cleanUpStores();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function nothingWritten() {
  const questions = await t.db.selectFrom('questions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const runs = await t.db.selectFrom('import_runs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(questions.n), 0);
  assert.equal(Number(runs.n), 0);
}

test('a file that is not JSON, the wrong format and a truncated file stop with one clear message and write nothing', async () => {
  const cases: [string, Parameters<typeof runImport>[1], RegExp][] = [
    ['text', { format: 'uk-parliament', location: file('notes.txt', 'Dear clerk, here are the questions.\n') }, /notes\.txt is not JSON/],
    ['csv as json', { format: 'uk-parliament', location: file('sheet.csv', csvTemplate()) }, /sheet\.csv is not JSON/],
    ['popolo as uk-parliament', { format: 'uk-parliament', location: file('people.json', JSON.stringify([{ id: 'p1', name: 'A' }])) }, /does not look like --format uk-parliament/],
    ['json as csv', { format: 'csv', location: file('wq.json', JSON.stringify(records)) }, /not an Answerable CSV|not valid CSV/],
    ['truncated', { format: 'uk-parliament', location: file('cut.json', JSON.stringify(records).slice(0, 900)) }, /cut\.json is not valid JSON or ends part-way/],
    ['truncated csv', { format: 'csv', location: file('cut.csv', `${csvTemplate().trimEnd()}\n2023/0001,,written,"Unclosed`) }, /cut\.csv is not valid CSV or ends part-way/],
    ['empty', { format: 'uk-parliament', location: file('empty.json', '[]') }, /holds no records/],
    ['missing file', { format: 'csv', location: path.join(dir, 'absent.csv') }, /There is no file at/],
  ];
  for (const [name, options, message] of cases) {
    await assert.rejects(runImport(t.db, options), (error: Error) => {
      assert.match(error.message, message, name);
      assert.doesNotMatch(error.message, /\n/, `${name}: one line`);
      return true;
    });
  }
  await nothingWritten();
});

test('with --strict, one bad record means nothing is imported', async () => {
  await assert.rejects(runImport(t.db, { format: 'uk-parliament', location: file('mixed.json', JSON.stringify(records)), strict: true }), /5 invalid records and --strict was given, so nothing was imported \(record 2 \(id 2\): answered 2023-12-01 before it was tabled/);
  await nothingWritten();
});

test('invalid records are reported with their position and skipped; the valid ones go in, cleaned', async () => {
  const summary = await runImport(t.db, { format: 'uk-parliament', location: path.join(dir, 'mixed.json') });
  assert.deepEqual(summary.problems, [
    { position: 'record 2 (id 2)', problem: 'answered 2023-12-01 before it was tabled (2023-12-04)' },
    { position: 'record 3 (id 3)', problem: 'a correction with no original answer (originalAnswerText is empty)' },
    { position: 'record 4 (id 4)', problem: 'uin is missing' },
    { position: 'record 5 (id 5)', problem: 'questionText contains control characters' },
    { position: 'record 6 (id 6)', problem: 'answerText contains a script' },
  ]);
  assert.equal(summary.created, 2);
  const answers = await t.db
    .selectFrom('answer_versions')
    .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
    .select(['questions.source_id', 'answer_versions.kind', 'answer_versions.body', 'answer_versions.corrects_version_id'])
    .orderBy('questions.source_id')
    .orderBy('answer_versions.version')
    .execute();
  assert.deepEqual(answers.map((a) => [a.source_id, a.kind, a.body]), [
    ['1', 'substantive', 'Answer 1 & more.'],
    ['7', 'substantive', 'The first answer.'],
    ['7', 'correction', 'Answer 7 & more.'],
  ]);
  const grouped = await t.db.selectFrom('question_groupings').select('grouped_reference').execute();
  assert.deepEqual(grouped, [{ grouped_reference: '101' }]);
});

test('the CSV template imports, and a bad row is skipped naming its line', async () => {
  const lines = csvTemplate().trimEnd().split('\n');
  const bad = (lines[1] ?? '').replace('2023/0412', '2023/0413').replace('2023-03-05', '2023-02-01');
  const summary = await runImport(t.db, { format: 'csv', location: file('template.csv', `${lines.join('\n')}\n${bad}\n`) });
  assert.equal(summary.created, 1);
  assert.deepEqual(summary.problems, [{ position: 'line 3 (id 2023/0413)', problem: 'answered 2023-02-01 before it was tabled (2023-03-01)' }]);
});

test('a URL is downloaded first; a missing one is one clear line', async () => {
  const server = http.createServer((request, response) => {
    if (request.url === '/template.csv') response.end(csvTemplate());
    else response.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    await assert.rejects(runImport(t.db, { format: 'csv', location: `http://127.0.0.1:${port}/absent.csv` }), /Could not download .*absent\.csv: HTTP 404/);
    const summary = await runImport(t.db, { format: 'csv', location: `http://127.0.0.1:${port}/template.csv` });
    assert.equal(summary.records, 1);
  } finally {
    server.close();
  }
});

test('the command prints one line and exits 1 for an unknown format, a damaged file and --strict', async () => {
  const store = await freshStore();
  const run = (args: string[]) => spawnSync(process.execPath, [CLI_BIN, ...args], { env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', ...store.env }, encoding: 'utf8', timeout: 120_000 });
  for (const [args, message] of [
    [['import', path.join(dir, 'mixed.json'), '--format', 'xml'], /^answerable: Unknown --format "xml"/],
    [['import', path.join(dir, 'cut.json'), '--format', 'uk-parliament'], /^answerable: cut\.json is not valid JSON or ends part-way/],
    [['import', path.join(dir, 'mixed.json'), '--format', 'uk-parliament', '--strict'], /^answerable: 5 invalid records and --strict was given/],
  ] as [string[], RegExp][]) {
    const result = run(args);
    assert.equal(result.status, 1, result.stderr);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('answerable:'));
    assert.equal(errors.length, 1, result.stderr);
    assert.match(errors[0] ?? '', message);
  }
});
