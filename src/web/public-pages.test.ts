import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDemoApp, referenceOf, type DemoApp } from '../testing/demo-app.ts';

let demo: DemoApp;
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

const get = (url: string, headers: Record<string, string> = {}) => demo.app.inject({ method: 'GET', url, headers });

test('the home page shows the assembly, the next meeting, the overdue count and the latest answers', async () => {
  const res = await get('/');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  const html = res.body;
  assert.match(html, /Wexbridge Assembly: questions to the Mayor/);
  assert.match(html, /fictional/);
  assert.match(html, /Next meeting/);
  assert.match(html, /Wednesday 23 December 2026/);
  assert.match(html, /past the deadline with no answer/);
  assert.match(html, /Latest answers/);
  assert.match(html, /href="\/assets\/application.css"/);
  assert.doesNotMatch(html, /GDS Transport|govuk-logo|crown/i);
});

test('a question page shows the question, who asked it, the deadline and the answer', async () => {
  const reference = await referenceOf(demo.t, 'Trafficking of women');
  const res = await get(`/questions/${reference}`);
  assert.equal(res.statusCode, 200);
  const html = res.body;
  assert.match(html, new RegExp(`Question ${reference}`));
  assert.match(html, /Trafficking of women/);
  assert.match(html, /Hannah Okoye/);
  assert.match(html, /Social Democrat Group/);
  assert.match(html, /£435,000/);
  // Asked on Wednesday 20 May 2009: Monday 25 May was a bank holiday, so the answer was due by Tuesday 26 May.
  assert.match(html, /By the end of Tuesday 26 May 2009/);
  assert.match(html, /Answered/);
});

test('an oral question shows the exchange and its numbered supplementaries', async () => {
  const reference = await referenceOf(demo.t, 'Funding for the Human Trafficking Unit');
  const html = (await get(`/questions/${reference}`)).body;
  assert.match(html, /Oral answer at the meeting/);
  assert.match(html, /Eleanor Marsh/);
  assert.match(html, /Funding for the Human Trafficking Unit \(Supplementary\) \[1\]/);
  assert.match(html, /Wednesday 17 June 2009/);
});

test('a corrected answer keeps the original and says what changed', async () => {
  const row = await demo.t.db
    .selectFrom('answer_versions')
    .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
    .select(['questions.reference_year', 'questions.reference_number', 'answer_versions.correction_note', 'answer_versions.corrects_version_id'])
    .where('answer_versions.kind', '=', 'correction')
    .executeTakeFirstOrThrow();
  const original = await demo.t.db.selectFrom('answer_versions').select('body').where('id', '=', row.corrects_version_id!).executeTakeFirstOrThrow();
  const html = (await get(`/questions/${row.reference_year}/${String(row.reference_number).padStart(4, '0')}`)).body;
  assert.match(html, /Corrected answer/);
  assert.ok(html.includes(escapeHtml(row.correction_note!)), 'the correction note is shown');
  const firstParagraph = original.body.split(/\n\s*\n/)[0]!.trim();
  assert.ok(html.includes(escapeHtml(firstParagraph)), 'the original answer is still shown');
});

test('the question API returns the public fields as JSON', async () => {
  const reference = await referenceOf(demo.t, 'Trafficking of women');
  const res = await get(`/api/v1/questions/${reference}`);
  assert.equal(res.statusCode, 200);
  const body = res.json<Record<string, unknown>>();
  assert.equal(body.reference, reference);
  assert.equal(body.status, 'answered');
  assert.equal(body.dueOn, '2009-05-26');
  assert.equal((body.asker as { slug: string }).slug, 'hannah-okoye');
  assert.ok(Array.isArray(body.answers) && body.answers.length >= 1);
  assert.deepEqual(Object.keys(body).filter((k) => /draft|comment|allocation|rejection/i.test(k)), []);
});

test('an unpadded or unknown reference is handled helpfully', async () => {
  const reference = await referenceOf(demo.t, 'Trafficking of women');
  const [year, number] = reference.split('/');
  const redirect = await get(`/questions/${year}/${Number(number)}`);
  assert.equal(redirect.statusCode, 301);
  assert.equal(redirect.headers.location, `/questions/${reference}`);
  const missing = await get('/questions/2009/9999');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /Page not found/);
  const junk = await get('/questions/not/areference');
  assert.equal(junk.statusCode, 404);
  const api = await get('/api/v1/questions/2009/9999');
  assert.equal(api.statusCode, 404);
  assert.deepEqual(Object.keys(api.json<{ error: object }>().error).sort(), ['code', 'message']);
});

test('private questions (draft, tabled, rejected) have no public page', async () => {
  const rows = await demo.t.db.selectFrom('questions').select(['title', 'body']).where('state', 'in', ['draft', 'tabled', 'rejected']).execute();
  assert.ok(rows.length > 0);
  const pages = await Promise.all(['/', '/questions', '/members/hannah-okoye', '/meetings/mqt-current-next', '/meetings'].map((u) => get(u)));
  const lists = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`/api/v1/questions?page=${i + 1}`)));
  const everything = [...pages, ...lists].map((r) => r.body).join('\n');
  for (const row of rows) {
    assert.ok(!everything.includes(escapeHtml(row.body)) && !everything.includes(JSON.stringify(row.body).slice(1, -1)), `private question "${row.title}" leaked`);
  }
});

test('a member page shows terms, groups and questions', async () => {
  const res = await get('/members/owen-pritchard');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Owen Pritchard/);
  assert.match(res.body, /Social Democrat Group/);
  assert.match(res.body, /Independent Alliance Group/);
  assert.match(res.body, /changed group/);
  assert.match(res.body, /Questions by year/);
  const json = (await get('/api/v1/members/owen-pritchard')).json<{ memberships: unknown[]; questions: unknown[] }>();
  assert.ok(json.memberships.length >= 3);
  assert.ok(json.questions.length >= 1);
  assert.equal((await get('/members/nobody')).statusCode, 404);
});

test('the members list shows current members with their groups', async () => {
  const res = await get('/members');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Hannah Okoye/);
  assert.match(res.body, /Former members/);
  assert.match(res.body, /Derek Osei/);
});

test('a meeting page shows the oral questions in order, written questions and a summary', async () => {
  const res = await get('/meetings/mqt-2009-06-17');
  assert.equal(res.statusCode, 200);
  const html = res.body;
  assert.match(html, /Mayor&#39;s Question Time/);
  assert.match(html, /Wednesday 17 June 2009/);
  assert.match(html, /Funding for the Human Trafficking Unit/);
  assert.match(html, /questions? asked/);
  const json = (await get('/api/v1/meetings/mqt-2009-06-17')).json<{ summary: { asked: number }; oralQuestions: { transcript: unknown[] }[]; writtenQuestions: { dueOn: string; status: string }[] }>();
  assert.ok(json.summary.asked > 0);
  assert.ok(json.oralQuestions.some((q) => q.transcript.length > 0));
  for (const q of json.writtenQuestions) assert.equal(q.dueOn, q.status === 'withdrawn' ? null : '2009-06-22');
  assert.equal((await get('/meetings/no-such-meeting')).statusCode, 404);
});

test('the meetings list and question list render, and bad paging is a clear 400', async () => {
  assert.equal((await get('/meetings')).statusCode, 200);
  const list = await get('/questions');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Search questions and answers/);
  const search = await get('/questions?q=%22human+trafficking%22+-ports');
  assert.equal(search.statusCode, 200);
  assert.match(search.body, /Trafficking/);
  const bad = await get('/questions?page=banana');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Page must be a whole number/);
  const badApi = await get('/api/v1/questions?page=-1');
  assert.equal(badApi.statusCode, 400);
  assert.equal(badApi.json<{ error: { code: string } }>().error.code, 'validation_failed');
  for (const q of ['"', "'", '-', 'OR', '((', '<script>alert(1)</script>', '\u0000', 'a'.repeat(400)]) {
    const res = await get(`/questions?q=${encodeURIComponent(q)}`);
    assert.ok(res.statusCode === 200 || res.statusCode === 400, `q=${JSON.stringify(q)} gave ${res.statusCode}`);
    assert.doesNotMatch(res.body, /<script>alert/);
  }
});

test('/healthz reports the database mode and the migration version', async () => {
  const res = await get('/healthz');
  assert.equal(res.statusCode, 200);
  const body = res.json<{ status: string; database: { mode: string; reachable: boolean }; migrations: { version: number; latest: number } }>();
  assert.equal(body.status, 'ok');
  assert.equal(body.database.mode, process.env.DATABASE_URL ? 'server' : 'embedded');
  assert.equal(body.migrations.version, body.migrations.latest);
});

test('unknown pages are a helpful 404 in HTML and JSON', async () => {
  const html = await get('/no/such/page');
  assert.equal(html.statusCode, 404);
  assert.match(html.body, /Page not found/);
  assert.match(html.body, /Go to the home page/);
  const json = await get('/api/v1/nothing');
  assert.equal(json.statusCode, 404);
  assert.equal(json.json<{ error: { code: string } }>().error.code, 'not_found');
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
