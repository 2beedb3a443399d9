import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { apiClient, browser, signedInBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { memberQuestions } from './member.queries.ts';
import { acceptedQuestion, createWorld, draftQuestion, snapshot, tabledQuestion, type World } from './test-factories.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
const now = new Date();
/** Three and a half weeks ago: a world whose "future" meeting met a few days ago. */
const past = new Date(now.getTime() - 25 * 24 * 60 * 60_000);

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
});
after(async () => {
  await app.close();
  await t.close();
});

const question = (id: number) => t.db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const clerkBrowser = () => signedInBrowser(app, t.db, w.actors.clerk, now);
type Json = Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string> } };
const json = (res: LightMyRequestResponse) => res.json<Json>();
const auditOf = (id: number, action: string) =>
  t.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'question').where('record_id', '=', id).where('action', '=', action).execute();

describe('the queue', () => {
  test('lists tabled questions, oldest first, with a count, and never a draft', async () => {
    const draft = await draftQuestion(t.db, w, { title: 'A private draft about ferries' });
    const first = await tabledQuestion(t.db, w, { title: 'Night bus <b>frequency</b>' });
    const second = await tabledQuestion(t.db, w, { title: 'Cycle lanes on the ring road', meeting: w.meetings.later });
    const b = await clerkBrowser();
    const res = await b.get('/work/clerk');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1 class="govuk-heading-l">\d+ questions? to review<\/h1>/);
    assert.match(res.body, /<caption class="govuk-table__caption[^"]*">Tabled questions<\/caption>/);
    assert.match(res.body, new RegExp(`href="/work/clerk/questions/${first}">Night bus &lt;b&gt;frequency&lt;/b&gt;</a>`));
    assert.ok(res.body.indexOf(`/work/clerk/questions/${first}"`) < res.body.indexOf(`/work/clerk/questions/${second}"`), 'oldest first');
    assert.match(res.body, /Priya Okafor/);
    assert.match(res.body, /href="\/work\/clerk\/meetings"/);
    assert.doesNotMatch(res.body, /A private draft about ferries/);

    const filtered = await b.get(`/work/clerk?meeting=${w.meetings.later.id}`);
    assert.match(filtered.body, /Cycle lanes on the ring road/);
    assert.doesNotMatch(filtered.body, /Night bus/);

    const api = await apiClient(app, t.db, w.actors.clerk);
    const queue = json(await api.get('/api/v1/work/clerk/queue')) as { count: number; questions: { id: number; state: string; title: string; meeting: { id: number } }[] };
    const ids = queue.questions.map((q) => q.id);
    assert.ok(ids.includes(first) && ids.includes(second));
    assert.ok(!ids.includes(draft));
    assert.equal(queue.count, queue.questions.length);
    assert.deepEqual(Object.keys(queue.questions[0] ?? {}).sort(), ['asker', 'body', 'id', 'meeting', 'state', 'tabledAt', 'title', 'topicIds', 'type']);
    const later = json(await api.get(`/api/v1/work/clerk/queue?meeting=${w.meetings.later.id}`)) as { questions: { meeting: { id: number } }[] };
    assert.ok(later.questions.every((q) => q.meeting.id === w.meetings.later.id));
  });

  test("a member's draft has no review page, and junk ids are not found", async () => {
    const draft = await draftQuestion(t.db, w);
    const b = await clerkBrowser();
    assert.equal((await b.get(`/work/clerk/questions/${draft}`)).statusCode, 404);
    assert.equal((await b.get('/work/clerk/questions/abc')).statusCode, 404);
    assert.equal((await b.get('/work/clerk/meetings/0')).statusCode, 404);
    const api = await apiClient(app, t.db, w.actors.clerk);
    const before = await snapshot(t.db);
    const res = await api.send('POST', `/api/v1/work/questions/${draft}/accept`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(await snapshot(t.db), before);
  });
});

describe('accepting', () => {
  test('the review page shows the question; accepting flashes the reference and writes one audit event', async () => {
    const id = await tabledQuestion(t.db, w, { title: 'Bus shelters in the east' });
    const b = await clerkBrowser();
    const page = await b.get(`/work/clerk/questions/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bus shelters in the east/);
    assert.match(page.body, /How many scheduled bus journeys were cancelled last month\?/);
    assert.match(page.body, /action="\/work\/clerk\/questions\/\d+\/accept"/);
    assert.match(page.body, /name="reason"/);

    const res = await b.post(`/work/clerk/questions/${id}/accept`, {}, `/work/clerk/questions/${id}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/work/clerk');
    const row = await question(id);
    assert.equal(row.state, 'accepted');
    const reference = `${row.reference_year}/${String(row.reference_number).padStart(4, '0')}`;
    assert.match((await b.get('/work/clerk')).body, new RegExp(`Accepted as ${reference}`));
    assert.equal((await auditOf(id, 'question.accepted')).length, 1);
  });

  test('accepting twice is a conflict: the page again with the error summary, 409, nothing changed; the API says the same', async () => {
    const id = await tabledQuestion(t.db, w);
    const b = await clerkBrowser();
    assert.equal((await b.post(`/work/clerk/questions/${id}/accept`, {}, `/work/clerk/questions/${id}`)).statusCode, 303);
    const before = await snapshot(t.db);
    const again = await b.post(`/work/clerk/questions/${id}/accept`, {}, `/work/clerk/questions/${id}`);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /govuk-error-summary/);
    assert.match(again.body, /href="#decision"/);
    assert.match(again.body, /This question has been accepted, so it cannot be accepted\./);
    assert.match(again.body, /<title>Error: /);
    assert.deepEqual(await snapshot(t.db), before);

    const api = await apiClient(app, t.db, w.actors.clerk);
    const before2 = await snapshot(t.db);
    const res = await api.send('POST', `/api/v1/work/questions/${id}/accept`);
    assert.equal(res.statusCode, 409);
    assert.equal(json(res).error?.code, 'conflict');
    assert.deepEqual(await snapshot(t.db), before2);
  });

  test('the API accepts and answers with the question as it now stands', async () => {
    const id = await tabledQuestion(t.db, w);
    const api = await apiClient(app, t.db, w.actors.clerk);
    const res = await api.send('POST', `/api/v1/work/questions/${id}/accept`, { questionId: 999_999 });
    assert.equal(res.statusCode, 200);
    const body = json(res) as { id: number; state: string; reference: string; meeting: { id: number }; asker: { name: string } };
    assert.equal(body.id, id);
    assert.equal(body.state, 'accepted');
    assert.match(body.reference, /^\d{4}\/\d{4,}$/);
    assert.equal(body.meeting.id, w.meetings.future.id);
    assert.equal(body.asker.name, 'Priya Okafor');
    assert.equal((await auditOf(id, 'question.accepted')).length, 1);
  });
});

describe('rejecting', () => {
  test('needs a reason (400 with the field message, nothing saved); the reason then reaches the member', async () => {
    const id = await tabledQuestion(t.db, w, { title: 'A question out of order' });
    const b = await clerkBrowser();
    const api = await apiClient(app, t.db, w.actors.clerk);
    const before = await snapshot(t.db);
    const empty = await b.post(`/work/clerk/questions/${id}/reject`, { reason: '   ' }, `/work/clerk/questions/${id}`);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#reason"/);
    assert.match(empty.body, /Enter the reason for rejecting the question/);
    assert.deepEqual(await snapshot(t.db), before);

    const noReason = await api.send('POST', `/api/v1/work/questions/${id}/reject`, {});
    assert.equal(noReason.statusCode, 400);
    assert.equal(json(noReason).error?.fields?.reason, 'Enter the reason for rejecting the question');
    assert.deepEqual(await snapshot(t.db), before);

    const reason = 'The Mayor has no responsibility for <this> matter.';
    const res = await b.post(`/work/clerk/questions/${id}/reject`, { reason }, `/work/clerk/questions/${id}`);
    assert.equal(res.statusCode, 303);
    assert.equal((await question(id)).state, 'rejected');
    const mine = (await memberQuestions(t.db, w.actors.member, { now })).find((q) => q.id === id);
    assert.equal(mine?.state, 'rejected');
    assert.equal(mine?.rejectionReason, reason);
    // The clerk can still look at it, read-only, and the reason is escaped.
    const page = await b.get(`/work/clerk/questions/${id}`);
    assert.match(page.body, /no responsibility for &lt;this&gt; matter/);
    assert.doesNotMatch(page.body, /\/accept"/);
  });
});

describe('correcting and moving', () => {
  test('a corrected title is saved with the old and new title in the audit trail', async () => {
    const id = await tabledQuestion(t.db, w, { title: 'Bus relibility' });
    const b = await clerkBrowser();
    const [topicA] = w.topicIds;
    const res = await b.post(`/work/clerk/questions/${id}/edit`, { title: 'Bus reliability', topicIds: [String(topicA)] }, `/work/clerk/questions/${id}`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/work/clerk/questions/${id}`);
    assert.equal((await question(id)).title, 'Bus reliability');
    const [audit] = await auditOf(id, 'question.clerk_edited');
    assert.deepEqual(audit?.details, { oldTitle: 'Bus relibility', newTitle: 'Bus reliability', oldTopicIds: [], newTopicIds: [topicA] });
    assert.match((await b.get(`/work/clerk/questions/${id}`)).body, /recorded in the audit trail/);

    const before = await snapshot(t.db);
    const blank = await b.post(`/work/clerk/questions/${id}/edit`, { title: '' }, `/work/clerk/questions/${id}`);
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /href="#title"/);
    assert.deepEqual(await snapshot(t.db), before);

    const api = await apiClient(app, t.db, w.actors.clerk);
    const viaApi = await api.send('POST', `/api/v1/work/questions/${id}/clerk-edit`, { title: 'Bus reliability in the east' });
    assert.equal(viaApi.statusCode, 200);
    assert.equal((json(viaApi) as { title: string }).title, 'Bus reliability in the east');
    assert.equal((await auditOf(id, 'question.clerk_edited')).length, 2);
  });

  test('a question moves to another upcoming meeting; a cancelled one is refused', async () => {
    const id = await tabledQuestion(t.db, w);
    const b = await clerkBrowser();
    const page = await b.get(`/work/clerk/questions/${id}`);
    assert.match(page.body, new RegExp(`<option value="${w.meetings.later.id}"`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="${w.meetings.cancelled.id}"`));

    const res = await b.post(`/work/clerk/questions/${id}/move`, { meetingId: String(w.meetings.later.id) }, `/work/clerk/questions/${id}`);
    assert.equal(res.statusCode, 303);
    assert.equal((await question(id)).meeting_id, w.meetings.later.id);
    assert.equal((await auditOf(id, 'question.moved')).length, 1);

    const before = await snapshot(t.db);
    const none = await b.post(`/work/clerk/questions/${id}/move`, { meetingId: '' }, `/work/clerk/questions/${id}`);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /href="#meetingId"/);
    const cancelled = await b.post(`/work/clerk/questions/${id}/move`, { meetingId: String(w.meetings.cancelled.id) }, `/work/clerk/questions/${id}`);
    assert.equal(cancelled.statusCode, 409);
    assert.match(cancelled.body, /cancelled/);
    assert.deepEqual(await snapshot(t.db), before);

    const api = await apiClient(app, t.db, w.actors.clerk);
    const viaApi = await api.send('POST', `/api/v1/work/questions/${id}/move`, { meetingId: w.meetings.future.id });
    assert.equal(viaApi.statusCode, 200);
    assert.equal((json(viaApi) as { meeting: { id: number } }).meeting.id, w.meetings.future.id);
  });
});

describe('meetings and marking questions as asked', () => {
  test('the meetings page counts questions per meeting', async () => {
    await tabledQuestion(t.db, w, { meeting: w.meetings.later });
    const b = await clerkBrowser();
    const res = await b.get('/work/clerk/meetings');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Upcoming meetings<\/caption>/);
    assert.match(res.body, /Recent meetings<\/caption>/);
    assert.match(res.body, new RegExp(`href="/work/clerk\\?meeting=${w.meetings.later.id}"`));
  });

  test('oral questions reached or not, written ones asked on the day: asked_on and due dates set', async () => {
    const p = await createWorld(t.db, past);
    const meeting = p.meetings.future;
    const reachedOral = await acceptedQuestion(t.db, p, { type: 'oral', title: 'Oral one', now: past });
    const missedOral = await acceptedQuestion(t.db, p, { type: 'oral', title: 'Oral two', now: past });
    const written = await acceptedQuestion(t.db, p, { type: 'written', title: 'Written one', now: past });
    const b = await signedInBrowser(app, t.db, p.actors.clerk, now);
    const page = await b.get(`/work/clerk/meetings/${meeting.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Which oral questions were reached at the meeting\?/);
    assert.match(page.body, /1 written question was asked on the day/);

    const form = { reachedQuestionIds: [String(reachedOral.questionId)], oralQuestionIds: [String(reachedOral.questionId), String(missedOral.questionId)] };
    const res = await b.post(`/work/clerk/meetings/${meeting.id}/asked`, form, `/work/clerk/meetings/${meeting.id}`);
    assert.equal(res.statusCode, 303);
    const due = statutoryDeadline(meeting.meetsOn, 3);
    const [a, m, wr] = [await question(reachedOral.questionId), await question(missedOral.questionId), await question(written.questionId)];
    assert.deepEqual([a.asked_on, a.due_on, a.not_reached], [meeting.meetsOn, null, false]);
    assert.deepEqual([m.asked_on, m.due_on, m.not_reached], [meeting.meetsOn, due, true]);
    assert.deepEqual([wr.asked_on, wr.due_on, wr.not_reached], [meeting.meetsOn, due, false]);
    const after = (await b.get(`/work/clerk/meetings/${meeting.id}`)).body;
    assert.match(after, /3 questions were marked as asked/);
    assert.match(after, /Answered at the meeting/);
    assert.match(after, /Not reached: answer in writing/);

    // Nothing left to mark: a conflict, re-rendered with 409, nothing changed.
    const before = await snapshot(t.db);
    const again = await b.post(`/work/clerk/meetings/${meeting.id}/asked`, {}, '/account/tokens');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /href="#mark-asked"/);
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('through the API; a meeting that has not happened yet is refused', async () => {
    const p = await createWorld(t.db, past);
    const oral = await acceptedQuestion(t.db, p, { type: 'oral', now: past });
    const notYet = await acceptedQuestion(t.db, p, { meeting: p.meetings.later, now: past });
    const api = await apiClient(app, t.db, p.actors.clerk);

    const before = await snapshot(t.db);
    const early = await api.send('POST', `/api/v1/work/meetings/${p.meetings.later.id}/mark-asked`, {});
    assert.equal(early.statusCode, 409);
    const unknown = await api.send('POST', `/api/v1/work/meetings/${p.meetings.future.id}/mark-asked`, {});
    assert.equal(unknown.statusCode, 400);
    assert.ok(json(unknown).error?.fields?.reachedQuestionIds);
    assert.deepEqual(await snapshot(t.db), before);

    const res = await api.send('POST', `/api/v1/work/meetings/${p.meetings.future.id}/mark-asked`, { notReachedQuestionIds: [oral.questionId] });
    assert.equal(res.statusCode, 200);
    const due = statutoryDeadline(p.meetings.future.meetsOn, 3);
    assert.deepEqual(json(res), {
      meetingId: p.meetings.future.id,
      questions: [{ id: oral.questionId, reference: oral.reference, askedOn: p.meetings.future.meetsOn, dueOn: due, notReached: true }],
    });
    assert.equal((await question(notYet.questionId)).asked_on, null);
  });
});

describe('who may use the clerk pages', () => {
  test('members, officers and approvers are forbidden everywhere, in the browser and the API, and nothing changes', async () => {
    const tabled = await tabledQuestion(t.db, w);
    const meetingId = w.meetings.future.id;
    const pages = ['/work/clerk', `/work/clerk/questions/${tabled}`, '/work/clerk/meetings', `/work/clerk/meetings/${meetingId}`];
    const forms: [string, Record<string, string>][] = [
      [`/work/clerk/questions/${tabled}/accept`, {}],
      [`/work/clerk/questions/${tabled}/reject`, { reason: 'No' }],
      [`/work/clerk/questions/${tabled}/edit`, { title: 'Changed' }],
      [`/work/clerk/questions/${tabled}/move`, { meetingId: String(w.meetings.later.id) }],
      [`/work/clerk/meetings/${meetingId}/asked`, {}],
    ];
    const calls: [string, Record<string, unknown>][] = [
      [`/api/v1/work/questions/${tabled}/accept`, {}],
      [`/api/v1/work/questions/${tabled}/reject`, { reason: 'No' }],
      [`/api/v1/work/questions/${tabled}/clerk-edit`, { title: 'Changed' }],
      [`/api/v1/work/questions/${tabled}/move`, { meetingId: w.meetings.later.id }],
      [`/api/v1/work/meetings/${meetingId}/mark-asked`, {}],
    ];
    const roles: Actor[] = [w.actors.member, w.actors.policeOfficer, w.actors.approver];
    // API tokens are made (and audited) first: the workflow tables must then stay as they are.
    const clients = await Promise.all(roles.map(async (actor) => ({ actor, b: await signedInBrowser(app, t.db, actor, now), api: await apiClient(app, t.db, actor) })));
    const before = await snapshot(t.db);
    for (const { actor, b, api } of clients) {
      for (const url of pages) assert.equal((await b.get(url)).statusCode, 403, `${actor.role} GET ${url}`);
      for (const [url, form] of forms) {
        const res = await b.post(url, form, '/account/tokens');
        assert.equal(res.statusCode, 403, `${actor.role} POST ${url}`);
        assert.match(res.body, /does not have permission/);
      }
      assert.equal((await api.get('/api/v1/work/clerk/queue')).statusCode, 403);
      for (const [url, body] of calls) {
        const res = await api.send('POST', url, body);
        assert.equal(res.statusCode, 403, `${actor.role} API ${url}`);
        assert.equal(json(res).error?.code, 'forbidden');
      }
    }
    assert.deepEqual(await snapshot(t.db), before);
  });

  test('anonymous visitors are sent to sign in; the API wants a token; a form without its CSRF token is refused', async () => {
    const anonymous = browser(app);
    for (const url of ['/work/clerk', '/work/clerk/meetings', '/work/clerk/questions/1', '/work/clerk/meetings/1']) {
      const res = await anonymous.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(url)}`);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/work/clerk/queue' })).statusCode, 401);

    const id = await tabledQuestion(t.db, w);
    const b = await clerkBrowser();
    const before = await snapshot(t.db);
    const res = await b.post(`/work/clerk/questions/${id}/accept`, {});
    assert.equal(res.statusCode, 403);
    assert.equal((await question(id)).state, 'tabled');
    assert.deepEqual(await snapshot(t.db), before);
  });
});
