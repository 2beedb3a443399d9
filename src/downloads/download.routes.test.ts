// The site's downloads: whole-record NDJSON and CSV, a search's download matching the search, Popolo, the
// /downloads page, the public CSV template and the admin-only imports page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMN_NAMES } from '../imports/formats/csv.ts';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { browser, signedInBrowser } from '../testing/web-client.ts';
import { createUser } from '../users/user.repository.ts';
import { loadActor } from '../auth/auth.plugin.ts';

let demo: DemoApp;
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

const publicCount = async () =>
  Number(
    (
      await demo.t.db
        .selectFrom('questions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('state', 'in', ['accepted', 'withdrawn'])
        .where('question_type', '<>', 'supplementary')
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the whole record downloads as NDJSON and CSV, one question per line or row', async () => {
  const visitor = browser(demo.app);
  const ndjson = await visitor.get('/downloads/questions.ndjson');
  assert.equal(ndjson.statusCode, 200);
  assert.match(String(ndjson.headers['content-type']), /application\/x-ndjson/);
  const lines = ndjson.body.trimEnd().split('\n').map((line) => JSON.parse(line) as { reference: string; answers: unknown[] });
  assert.equal(lines.length, await publicCount());
  const csv = await visitor.get('/downloads/questions.csv');
  assert.equal(csv.statusCode, 200);
  const rows: string[][] = parse(csv.body);
  assert.deepEqual(rows[0], CSV_COLUMN_NAMES);
  assert.equal(rows.length - 1, lines.length);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), lines.map((l) => l.reference));
});

test("a search's download holds exactly the search's results", async () => {
  const visitor = browser(demo.app);
  const year = (await demo.t.db.selectFrom('questions').select('reference_year').where('reference_year', 'is not', null).executeTakeFirstOrThrow()).reference_year;
  const api = JSON.parse((await visitor.get(`/api/v1/questions?year=${year}`)).body) as { total: number; totalIsEstimate: boolean };
  const download = await visitor.get(`/downloads/questions.ndjson?year=${year}`);
  assert.equal(download.statusCode, 200);
  const lines = download.body.trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { reference: string });
  assert.equal(api.totalIsEstimate, false);
  assert.equal(lines.length, api.total);
  assert.ok(lines.every((l) => l.reference.startsWith(`${year}/`)));
  const bad = await visitor.get('/downloads/questions.csv?year=nineteen');
  assert.equal(bad.statusCode, 400);
});

test('people and posts download as Popolo JSON; the downloads page and the CSV template are public', async () => {
  const visitor = browser(demo.app);
  const popolo = await visitor.get('/downloads/people.popolo.json');
  assert.equal(popolo.statusCode, 200);
  const doc = JSON.parse(popolo.body) as { persons: unknown[]; organizations: unknown[]; memberships: unknown[] };
  const people = Number((await demo.t.db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  assert.equal(doc.persons.length, people);
  assert.ok(doc.memberships.length > 0);
  const page = await visitor.get('/downloads');
  assert.equal(page.statusCode, 200);
  for (const href of ['/downloads/questions.csv', '/downloads/questions.ndjson', '/downloads/people.popolo.json', '/imports/template.csv']) assert.ok(page.body.includes(`href="${href}"`), href);
  const template = await visitor.get('/imports/template.csv');
  assert.equal(template.statusCode, 200);
  assert.match(String(template.headers['content-type']), /text\/csv/);
  const templateRows: string[][] = parse(template.body);
  assert.deepEqual(templateRows[0], CSV_COLUMN_NAMES);
});

test('the imports page is for admins, and documents the CSV columns', async () => {
  assert.notEqual((await browser(demo.app).get('/admin/imports')).statusCode, 200);
  const created = await demo.t.db.transaction().execute((trx) =>
    createUser(trx, { email: 'imports.admin@example.test', displayName: 'Imports Admin', role: 'admin', password: 'amber lighthouse quarry 71' }, { id: null, label: 'test' }),
  );
  const actor = await loadActor(demo.t.db, created.id);
  assert.ok(actor);
  await demo.t.db.insertInto('import_runs').values({ format: 'csv', source_name: 'clerks.csv', problems: JSON.stringify([{ position: 'line 7 (id 2019/0042)', problem: 'a correction with no original answer' }]) }).execute();
  const admin = await signedInBrowser(demo.app, demo.t.db, actor);
  const page = await admin.get('/admin/imports');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /clerks\.csv/);
  assert.match(page.body, /line 7 \(id 2019\/0042\): a correction with no original answer/);
  for (const column of CSV_COLUMN_NAMES) assert.ok(page.body.includes(`<code>${column}</code>`), column);
});
