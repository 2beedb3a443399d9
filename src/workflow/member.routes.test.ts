import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { addDays } from '../calendar/iso-date.ts';
import { londonDate } from '../calendar/london-time.ts';
import { apiClient, browser, signedInBrowser, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { rejectQuestion } from './clerk.commands.ts';
import { acceptedQuestion, createWorld, draftQuestion, publishedAnswer, run, snapshot, tabledQuestion, type World } from './test-factories.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
const now = new Date();
const today = londonDate(now);

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
});
after(async () => {
  await app.close();
  await t.close();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string> } };
const json = (res: LightMyRequestResponse) => res.json<Json>();
const question = (id: number) => t.db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const questionTitled = (title: string) => t.db.selectFrom('questions').selectAll().where('title', '=', title).execute();
const topicsOf = async (id: number) =>
  (await t.db.selectFrom('question_topics').select('topic_id').where('question_id', '=', id).orderBy('topic_id').execute()).map((r) => r.topic_id);
const memberBrowser = () => signedInBrowser(app, t.db, w.actors.member, now);

/** The question id a 303 to /work/questions/:id names. */
function redirectedId(res: LightMyRequestResponse): number {
  assert.equal(res.statusCode, 303, res.body);
  const match = /^\/work\/questions\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(match, `redirected to ${String(res.headers.location)}`);
  return Number(match[1]);
}

function draftForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    meetingId: String(w.meetings.future.id),
    questionType: 'written',
    title: 'Street lighting in the old town',
    body: 'How many street lights in the old town were out of order last month?',
    topicIds: [String(w.topicIds[0])],
    followUpReference: '',
    action: 'save',
    ...overrides,
  };
}

describe('the member journey in the browser', () => {
  test('draft, edit, table and withdraw a question, with a flash after each step', async () => {
    const b = await memberBrowser();
    const list = await b.get('/work/questions');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<h1 class="govuk-heading-l">Your questions<\/h1>/);
    assert.match(list.body, /href="\/work\/questions\/new"[^>]*>\s*Draft a new question/);

    const form = await b.get('/work/questions/new');
    assert.equal(form.statusCode, 200);
    // Only meetings whose tabling cut-off is still ahead, each with its cut-off.
    assert.match(form.body, new RegExp(`<option value="${w.meetings.future.id}"[^>]*>[^<]*table by \\d{1,2}:\\d{2}(am|pm) on `));
    assert.match(form.body, new RegExp(`<option value="${w.meetings.later.id}"`));
    for (const closed of [w.meetings.closing, w.meetings.held, w.meetings.cancelled]) assert.doesNotMatch(form.body, new RegExp(`<option value="${closed.id}"`));
    assert.match(form.body, /name="topicIds" type="checkbox" value="\d+"/);
    assert.match(form.body, /data-module="govuk-character-count" data-maxlength="20000"/);
    assert.match(form.body, /Similar questions already answered/);
    assert.match(form.body, /aria-live="polite"/);

    const created = await b.post('/work/questions/new', draftForm({ topicIds: [String(w.topicIds[0]), String(w.topicIds[1])] }), '/work/questions/new');
    const id = redirectedId(created);
    let q = await question(id);
    assert.equal(q.state, 'draft');
    assert.equal(q.asker_id, w.memberPersonId);
    assert.equal(q.meeting_id, w.meetings.future.id);
    assert.deepEqual(await topicsOf(id), [...w.topicIds].sort((a, b) => a - b));
    let shown = await b.get(`/work/questions/${id}`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Your draft question was saved\./);
    assert.match(shown.body, /<strong class="govuk-tag govuk-tag--grey">Draft<\/strong>/);
    assert.match(shown.body, new RegExp(`href="/work/questions/${id}/edit"`));
    assert.match(shown.body, new RegExp(`action="/work/questions/${id}/table"`));
    assert.doesNotMatch(shown.body, /\/withdraw"/);
    // The flash is shown once.
    assert.doesNotMatch((await b.get(`/work/questions/${id}`)).body, /Your draft question was saved/);

    const edit = await b.get(`/work/questions/${id}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="Street lighting in the old town"/);
    assert.match(edit.body, new RegExp(`<option value="${w.meetings.future.id}" selected`));
    const edited = await b.post(
      `/work/questions/${id}/edit`,
      draftForm({ title: 'Street lighting in the old town and the harbour', questionType: 'oral', meetingId: String(w.meetings.later.id), topicIds: [] }),
      `/work/questions/${id}/edit`,
    );
    assert.equal(redirectedId(edited), id);
    q = await question(id);
    assert.equal(q.title, 'Street lighting in the old town and the harbour');
    assert.equal(q.question_type, 'oral');
    assert.equal(q.meeting_id, w.meetings.later.id);
    assert.deepEqual(await topicsOf(id), []);

    const tabled = await b.post(`/work/questions/${id}/table`, {}, `/work/questions/${id}`);
    assert.equal(redirectedId(tabled), id);
    assert.equal((await question(id)).state, 'tabled');
    shown = await b.get(`/work/questions/${id}`);
    assert.match(shown.body, /Your question was tabled/);
    assert.match(shown.body, /Tabled<\/strong>/);
    assert.doesNotMatch(shown.body, /\/edit"/);
    assert.match(shown.body, new RegExp(`href="/work/questions/${id}/withdraw"`));
    assert.equal((await b.get(`/work/questions/${id}/edit`)).statusCode, 409);

    const confirm = await b.get(`/work/questions/${id}/withdraw`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Are you sure you want to withdraw “Street lighting in the old town and the harbour”\?/);
    const withdrawn = await b.post(`/work/questions/${id}/withdraw`, { reason: 'The council answered it.' }, `/work/questions/${id}/withdraw`);
    assert.equal(redirectedId(withdrawn), id);
    q = await question(id);
    assert.equal(q.state, 'withdrawn');
    assert.equal(q.withdrawal_reason, 'The council answered it.');
    shown = await b.get(`/work/questions/${id}`);
    assert.match(shown.body, /Your question was withdrawn\./);
    assert.match(shown.body, /Reason: The council answered it\./);
    assert.doesNotMatch(shown.body, /\/withdraw"/);

    // Withdrawing twice is refused on the confirmation page, with the reason kept and nothing changed.
    const before = await snapshot(t.db);
    const again = await b.post(`/work/questions/${id}/withdraw`, { reason: 'Again' }, '/work/questions/new');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /govuk-error-summary/);
    assert.match(again.body, /This question has been withdrawn, so it cannot be withdrawn\./);
    assert.deepEqual(await snapshot(t.db), before);

    const listed = await b.get('/work/questions');
    assert.match(listed.body, new RegExp(`href="/work/questions/${id}">Street lighting in the old town and the harbour</a>`));
  });

  test('"Save and table" creates and tables in one step', async () => {
    const b = await memberBrowser();
    const res = await b.post('/work/questions/new', draftForm({ title: 'Ferry fares for students', action: 'table' }), '/work/questions/new');
    const q = await question(redirectedId(res));
    assert.equal(q.state, 'tabled');
    assert.ok(q.tabled_at);
  });

  test('"Save and table" is one transaction: when tabling is refused, the draft is not saved either', async () => {
    const capped = await createWorld(t.db, now, { oralQuestionsPerMember: 1 });
    await tabledQuestion(t.db, capped, { type: 'oral', title: 'The first oral question' });
    const b = await signedInBrowser(app, t.db, capped.actors.member, now);
    const before = await snapshot(t.db);
    const res = await b.post(
      '/work/questions/new',
      draftForm({ meetingId: String(capped.meetings.future.id), questionType: 'oral', title: 'A second oral question', topicIds: [], action: 'table' }),
      '/work/questions/new',
    );
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /already tabled as many questions of this type/);
    assert.match(res.body, /value="A second oral question"/);
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('validation errors show the summary linked to each field, keep what was typed and save nothing', async () => {
    const b = await memberBrowser();
    const before = await snapshot(t.db);
    const res = await b.post(
      '/work/questions/new',
      { meetingId: '', title: '   ', body: 'y'.repeat(20_001), followUpReference: '2099/9999', topicIds: ['999999x'], action: 'save' },
      '/work/questions/new',
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Error: /);
    assert.match(res.body, /class="govuk-error-summary"/);
    for (const field of ['meetingId', 'questionType', 'title', 'body', 'topicIds', 'followUpReference']) {
      assert.match(res.body, new RegExp(`href="#${field}"`), `the summary links to ${field}`);
    }
    assert.ok(res.body.indexOf('href="#meetingId"') < res.body.indexOf('href="#followUpReference"'), 'in the order of the form');
    assert.match(res.body, /Choose written or oral/);
    assert.match(res.body, /Enter a title/);
    assert.match(res.body, /The text of the question must be 20,000 characters or fewer/);
    assert.match(res.body, /Enter the reference of a published question, like 2009\/0123/);
    assert.match(res.body, /value="2099\/9999"/);
    assert.match(res.body, /id="meetingId-error"/);
    assert.deepEqual(await snapshot(t.db), before);

    // A meeting that has taken place is refused by the command: 409, nothing saved.
    const held = await b.post('/work/questions/new', draftForm({ meetingId: String(w.meetings.held.id) }), '/work/questions/new');
    assert.equal(held.statusCode, 409);
    assert.match(held.body, /That meeting has already taken place/);
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('a follow-up is given by the reference of a published question', async () => {
    const original = await acceptedQuestion(t.db, w, { title: 'Bus lanes on the bridge', now });
    const b = await memberBrowser();
    const res = await b.post('/work/questions/new', draftForm({ title: 'Further to bus lanes', followUpReference: original.reference }), '/work/questions/new');
    const id = redirectedId(res);
    assert.equal((await question(id)).follow_up_of_id, original.questionId);
    assert.match((await b.get(`/work/questions/${id}`)).body, new RegExp(`${original.reference.replace('/', '\\/')}: Bus lanes on the bridge`));
  });

  test('states: a rejection shows the clerk’s reason; an accepted question shows its reference, public status and overdue deadline', async () => {
    const rejected = await tabledQuestion(t.db, w, { title: 'A question about the weather', now });
    await run(t.db, (trx) => rejectQuestion(trx, w.actors.clerk, { questionId: rejected, reason: 'The Mayor has no power over the weather.' }, { now }));
    const accepted = await acceptedQuestion(t.db, w, { title: 'Potholes on the ring road', now });
    await t.db.updateTable('questions').set({ asked_on: addDays(today, -10), due_on: addDays(today, -5) }).where('id', '=', accepted.questionId).execute();
    const b = await memberBrowser();
    const list = await b.get('/work/questions');
    assert.match(list.body, /Rejected<\/strong>/);
    assert.match(list.body, /Reason: The Mayor has no power over the weather\./);
    assert.match(list.body, new RegExp(`<td class="govuk-table__cell">${accepted.reference.replace('/', '\\/')}</td>`));
    assert.match(list.body, /Awaiting answer \(overdue/);
    assert.match(list.body, /govuk-tag--red">Overdue</);

    const page = await b.get(`/work/questions/${rejected}`);
    assert.match(page.body, /The clerk rejected this question/);
    assert.match(page.body, /The Mayor has no power over the weather\./);
    assert.doesNotMatch(page.body, /\/withdraw"|\/edit"|\/table"/);

    const answered = await acceptedQuestion(t.db, w, { title: 'Cycle hire docks', now });
    await publishedAnswer(t.db, w, answered.questionId, { body: 'There are 240 docks.', now });
    const answeredPage = await b.get(`/work/questions/${answered.questionId}`);
    assert.match(answeredPage.body, /Answered<\/strong>/);
    assert.match(answeredPage.body, /There are 240 docks\./);
    assert.match(answeredPage.body, new RegExp(`href="/questions/${answered.reference}"`));
    assert.doesNotMatch(answeredPage.body, /\/withdraw"/, 'an answered question cannot be withdrawn');
  });
});

describe('who may see and act', () => {
  test('staff acting for the member see and table the member’s questions', async () => {
    const id = await draftQuestion(t.db, w, { title: 'Drafted by the member for staff to table' });
    const staff = await signedInBrowser(app, t.db, w.actors.staff, now);
    const list = await staff.get('/work/questions');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Acting for Priya Okafor/);
    assert.match(list.body, /Drafted by the member for staff to table/);
    assert.equal((await staff.get(`/work/questions/${id}`)).statusCode, 200);
    const res = await staff.post(`/work/questions/${id}/table`, {}, `/work/questions/${id}`);
    assert.equal(redirectedId(res), id);
    assert.equal((await question(id)).state, 'tabled');
    const audit = await t.db.selectFrom('audit_events').select('actor_id').where('record_id', '=', id).where('action', '=', 'question.tabled').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, w.actors.staff.userId);
  });

  test('another member gets 404 for the question, its edit, table and withdraw pages, and changes nothing', async () => {
    const id = await draftQuestion(t.db, w, { title: 'Private to Priya' });
    const tabled = await tabledQuestion(t.db, w, { title: 'Tabled by Priya' });
    const other = await signedInBrowser(app, t.db, w.actors.otherMember, now);
    const before = await snapshot(t.db);
    for (const url of [`/work/questions/${id}`, `/work/questions/${id}/edit`, `/work/questions/${tabled}/withdraw`]) {
      const res = await other.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /Private to Priya|Tabled by Priya/);
    }
    const token = (await other.get('/work/questions/new')).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(token)?.[1] ?? '';
    assert.equal((await other.post(`/work/questions/${id}/table`, { _csrf: csrf })).statusCode, 404);
    assert.equal((await other.post(`/work/questions/${id}/edit`, { ...draftForm(), _csrf: csrf })).statusCode, 404);
    assert.equal((await other.post(`/work/questions/${tabled}/withdraw`, { _csrf: csrf })).statusCode, 404);
    assert.doesNotMatch((await other.get('/work/questions')).body, /Private to Priya/);
    assert.deepEqual(await snapshot(t.db), before);
    assert.equal((await other.get('/work/questions/not-a-number')).statusCode, 404);
  });

  test('other roles are refused; anonymous visitors are sent to sign in', async () => {
    const clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);
    assert.equal((await clerk.get('/work/questions')).statusCode, 403);
    assert.equal((await clerk.get('/work/questions/new')).statusCode, 403);
    const anonymous = await browser(app).get('/work/questions');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/sign-in?next=%2Fwork%2Fquestions');
  });

  test('a form without its CSRF token is refused with 403 and saves nothing', async () => {
    const b: TestBrowser = await memberBrowser();
    await b.get('/work/questions/new');
    const before = await snapshot(t.db);
    const res = await b.post('/work/questions/new', draftForm({ title: 'No token' }));
    assert.equal(res.statusCode, 403);
    const id = await draftQuestion(t.db, w);
    const snap = await snapshot(t.db);
    assert.equal((await b.post(`/work/questions/${id}/table`, {})).statusCode, 403);
    assert.equal((await question(id)).state, 'draft');
    assert.deepEqual(await questionTitled('No token'), []);
    assert.deepEqual(await snapshot(t.db), snap);
    assert.notDeepEqual(before, snap);
  });
});

describe('the API', () => {
  test('create, table and withdraw with a token; withdrawing twice is 409', async () => {
    const api = await apiClient(app, t.db, w.actors.member);
    const created = await api.send('POST', '/api/v1/work/questions', {
      meetingId: w.meetings.future.id,
      questionType: 'written',
      title: 'Air quality near schools',
      body: 'How many schools are near roads that break the legal limit?',
      topicIds: [w.topicIds[1]],
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = json(created) as { id: number; state: string; title: string; reference: null; topics: { id: number }[]; meeting: { id: number } };
    assert.equal(body.state, 'draft');
    assert.equal(body.title, 'Air quality near schools');
    assert.equal(body.reference, null);
    assert.deepEqual(body.topics.map((tp) => tp.id), [w.topicIds[1]]);
    assert.equal(body.meeting.id, w.meetings.future.id);

    const edited = await api.send('POST', `/api/v1/work/questions/${body.id}/edit`, { title: 'Air quality near primary schools' });
    assert.equal(edited.statusCode, 200);
    assert.equal(json(edited).title, 'Air quality near primary schools');

    const tabled = await api.send('POST', `/api/v1/work/questions/${body.id}/table`);
    assert.equal(tabled.statusCode, 200);
    assert.equal(json(tabled).state, 'tabled');

    const withdrawn = await api.send('POST', `/api/v1/work/questions/${body.id}/withdraw`, { reason: 'Answered elsewhere.' });
    assert.equal(withdrawn.statusCode, 200);
    assert.equal(json(withdrawn).state, 'withdrawn');
    assert.equal(json(withdrawn).withdrawalReason, 'Answered elsewhere.');

    const before = await snapshot(t.db);
    const twice = await api.send('POST', `/api/v1/work/questions/${body.id}/withdraw`);
    assert.equal(twice.statusCode, 409);
    assert.equal(json(twice).error?.code, 'conflict');
    assert.deepEqual(await snapshot(t.db), before);

    const list = json(await api.get('/api/v1/work/questions')) as { items: { id: number; state: string }[] };
    assert.equal(list.items.find((i) => i.id === body.id)?.state, 'withdrawn');
    const one = await api.get(`/api/v1/work/questions/${body.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(json(one).id, body.id);
  });

  test('"table": true creates and tables at once', async () => {
    const api = await apiClient(app, t.db, w.actors.staff);
    const res = await api.send('POST', '/api/v1/work/questions', {
      meetingId: w.meetings.future.id,
      questionType: 'oral',
      title: 'Tram extension',
      body: 'When will the tram reach the hospital?',
      table: true,
    });
    assert.equal(res.statusCode, 201);
    assert.equal(json(res).state, 'tabled');
    assert.equal((await question(json(res).id as number)).asker_id, w.memberPersonId);
  });

  test('bad input is 400 with a message per field, and saves nothing', async () => {
    const api = await apiClient(app, t.db, w.actors.member);
    const before = await snapshot(t.db);
    const bad = await api.send('POST', '/api/v1/work/questions', { meetingId: 'soon', questionType: 'supplementary', title: '', topicIds: [0] });
    assert.equal(bad.statusCode, 400);
    const error = json(bad).error;
    assert.equal(error?.code, 'validation_failed');
    assert.ok(error?.fields?.meetingId && error.fields.questionType && error.fields.title && error.fields.body, JSON.stringify(error));
    const table = await api.send('POST', '/api/v1/work/questions', { meetingId: w.meetings.future.id, questionType: 'written', title: 'T', body: 'B', table: 'yes' });
    assert.equal(table.statusCode, 400);
    assert.deepEqual(json(table).error?.fields, { table: 'Send true or false' });
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('only the member and their staff: another member gets 404, other roles 403', async () => {
    const id = await draftQuestion(t.db, w, { title: 'API private draft' });
    const other = await apiClient(app, t.db, w.actors.otherMember);
    assert.equal((await other.get(`/api/v1/work/questions/${id}`)).statusCode, 404);
    assert.equal((await other.send('POST', `/api/v1/work/questions/${id}/table`)).statusCode, 404);
    assert.ok(!(json(await other.get('/api/v1/work/questions')) as { items: { id: number }[] }).items.some((i) => i.id === id));
    for (const actor of [w.actors.clerk, w.actors.approver, w.actors.admin]) {
      const api = await apiClient(app, t.db, actor);
      assert.equal((await api.get(`/api/v1/work/questions/${id}`)).statusCode, 403);
      assert.equal((await api.get('/api/v1/work/questions')).statusCode, 403);
      assert.equal((await api.get('/api/v1/work/similar?title=bus')).statusCode, 403);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/work/questions' })).statusCode, 401);
    assert.equal((await question(id)).state, 'draft');
  });
});

describe('similar questions already answered', () => {
  let answered: { questionId: number; reference: string };
  before(async () => {
    answered = await acceptedQuestion(t.db, w, { title: 'Funding for the human trafficking unit', now });
    await publishedAnswer(t.db, w, answered.questionId, { now });
    // Accepted but not answered: never offered as "already answered".
    await acceptedQuestion(t.db, w, { title: 'Trafficking unit staffing', now });
  });

  test('the API finds an answered question by words of its title, with a link to its public page', async () => {
    const api = await apiClient(app, t.db, w.actors.member);
    const res = await api.get(`/api/v1/work/similar?${new URLSearchParams({ title: 'trafficking unit', body: '' }).toString()}`);
    assert.equal(res.statusCode, 200);
    const items = (json(res) as { items: { reference: string; title: string; answeredOn: string; path: string; url: string }[] }).items;
    assert.deepEqual(
      items.map((i) => i.reference),
      [answered.reference],
    );
    assert.equal(items[0]?.title, 'Funding for the human trafficking unit');
    assert.equal(items[0]?.answeredOn, today);
    assert.equal(items[0]?.path, `/questions/${answered.reference}`);
    assert.equal(items[0]?.url, `http://answerable.test/questions/${answered.reference}`);
    // Any text is valid input.
    for (const q of ['', "'); DROP TABLE questions; --", '&|!():*', '🚌'.repeat(500), 'x'.repeat(10_000)]) {
      const hostile = await api.get(`/api/v1/work/similar?${new URLSearchParams({ title: q, body: q }).toString()}`);
      assert.equal(hostile.statusCode, 200, q.slice(0, 20));
    }
    assert.equal((await api.get('/api/v1/work/similar?title=a&title=b&body[x]=1')).statusCode, 200);
  });

  test('without JavaScript, "Check for similar questions" fills the panel and saves nothing', async () => {
    const b = await memberBrowser();
    const form = await b.get('/work/questions/new');
    assert.match(form.body, /<button type="submit" name="action" value="similar"[^>]*>Check for similar questions<\/button>/);
    const before = await snapshot(t.db);
    const res = await b.post('/work/questions/new', draftForm({ title: 'Is the trafficking unit funded next year?', action: 'similar' }), '/work/questions/new');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`<a class="govuk-link" href="/questions/${answered.reference}">${answered.reference.replace('/', '\\/')}: Funding for the human trafficking unit</a>`));
    assert.match(res.body, /Answered \d{1,2} \w+ \d{4}/);
    assert.doesNotMatch(res.body, /Trafficking unit staffing/);
    assert.match(res.body, /value="Is the trafficking unit funded next year\?"/, 'the form keeps what was typed');
    assert.deepEqual(await snapshot(t.db), before);

    // On the edit form too.
    const id = await draftQuestion(t.db, w, { title: 'Draft to check' });
    const snap = await snapshot(t.db);
    const edit = await b.post(`/work/questions/${id}/edit`, draftForm({ title: 'Trafficking unit money', action: 'similar' }), `/work/questions/${id}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, new RegExp(`href="/questions/${answered.reference}"`));
    assert.equal((await question(id)).title, 'Draft to check');
    assert.deepEqual(await snapshot(t.db), snap);
  });
});
