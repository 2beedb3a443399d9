// Imported questions belong to no meeting, yet they are part of the public record: their pages, the search, the
// JSON and the downloads show them like any other question.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { runImport } from './run-import.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-imported-public-'));
let t: TestDatabase;
let app: FastifyInstance;

const record = {
  value: {
    id: 9001, uin: '4242', askingMemberId: 10, answeringMemberId: 20, answeringBodyId: 1, answeringBodyName: 'Department for Canals',
    dateTabled: '2023-12-04T00:00:00', dateForAnswer: '2023-12-07T00:00:00', dateAnswered: '2023-12-06T00:00:00',
    heading: 'Canal towpaths', questionText: 'To ask the Minister what plans there are to resurface canal towpaths.', answerText: '<p>The towpaths will be resurfaced in spring.</p>',
    answerIsHolding: false, answerIsCorrection: false, originalAnswerText: '', dateAnswerCorrected: null, dateHoldingAnswer: null,
    isNamedDay: false, isWithdrawn: false, groupedQuestions: [], attachments: [],
  },
  links: [],
};

before(async () => {
  t = await createTestDatabase();
  const file = path.join(dir, 'one.json');
  fs.writeFileSync(file, JSON.stringify([record]));
  const summary = await runImport(t.db, { format: 'uk-parliament', location: file });
  assert.equal(summary.created, 1);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' } });
});

after(async () => {
  await app.close();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an imported question without a meeting has its page, is found by search, and is in the JSON and downloads', async () => {
  const question = await t.db.selectFrom('questions').select(['reference_year', 'reference_number', 'meeting_id']).executeTakeFirstOrThrow();
  assert.equal(question.meeting_id, null);
  const reference = `${question.reference_year}/${String(question.reference_number).padStart(4, '0')}`;

  const page = await app.inject({ url: `/questions/${reference}` });
  assert.equal(page.statusCode, 200, page.body.slice(0, 500));
  assert.match(page.body, /Canal towpaths/);
  assert.match(page.body, /The towpaths will be resurfaced in spring\./);
  assert.doesNotMatch(page.body, /href="\/meetings\/(null|undefined)?"/);

  const json = (await app.inject({ url: `/api/v1/questions/${reference}` })).json<{ meeting: unknown; title: string }>();
  assert.equal(json.meeting, null);
  assert.equal(json.title, 'Canal towpaths');

  const search = await app.inject({ url: '/search?q=towpaths' });
  assert.equal(search.statusCode, 200);
  assert.match(search.body, new RegExp(`${reference.replace('/', '\\/')}`));
  const api = (await app.inject({ url: '/api/v1/questions?q=towpaths' })).json<{ total: number; items: { meeting: unknown }[] }>();
  assert.equal(api.total, 1);
  assert.equal(api.items[0]?.meeting, null);

  // The import writes search rows once per batch: they equal what the triggers would have written.
  const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT * FROM question_search EXCEPT SELECT * FROM question_search_source) d`.execute(t.db);
  const expected = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT * FROM question_search_source EXCEPT SELECT * FROM question_search) d`.execute(t.db);
  assert.deepEqual([stored.rows[0]?.n, expected.rows[0]?.n], [0, 0]);

  const csv = await app.inject({ url: '/downloads/questions.csv?q=towpaths' });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /Canal towpaths/);
});
