import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { formatDate, londonDate } from '../calendar/london-time.ts';
import { apiClient, browser, signedInBrowser, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { writeAnswerDraft } from './answer-draft.commands.ts';
import { markAsked } from './clerk.commands.ts';
import { allocateQuestion } from './executive.commands.ts';
import type { presentDraft, presentQueueRow, presentWorkflow } from './executive.presenter.ts';
import { acceptedQuestion, createWorld, draftAnswer, noonAfter, publishedAnswer, run, snapshot, type World } from './test-factories.ts';

let t: TestDatabase;
let app: FastifyInstance;
let w: World;
const start = new Date();
let clock = start;

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, start);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
});
after(async () => {
  await app.close();
  await t.close();
});

type Workflow = ReturnType<typeof presentWorkflow>;
type Draft = ReturnType<typeof presentDraft>;
type Queue = { toAllocate?: unknown[]; awaitingApproval?: unknown[]; open?: ReturnType<typeof presentQueueRow>[]; queue?: ReturnType<typeof presentQueueRow>[] };
type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };

const questionPage = (id: number) => `/work/answers/questions/${id}`;

async function latestDraftId(questionId: number): Promise<number> {
  const row = await t.db.selectFrom('answer_drafts').select('id').where('question_id', '=', questionId).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row.id;
}

async function draftState(draftId: number) {
  return (await t.db.selectFrom('answer_drafts').select('state').where('id', '=', draftId).executeTakeFirstOrThrow()).state;
}

/** An accepted question allocated to a body through the command (the browser flow is tested separately). */
async function allocatedQuestion(world: World, options: { title?: string; bodyId?: number } = {}) {
  const q = await acceptedQuestion(t.db, world, options.title ? { title: options.title } : {});
  await run(t.db, (trx) => allocateQuestion(trx, world.actors.approver, { questionId: q.questionId, answeringBodyId: options.bodyId ?? world.policeId }));
  return q;
}

/** Posts a form from the question page and checks it went through: 303 back to the page, with the flash shown there. */
async function act(b: TestBrowser, url: string, form: Record<string, string>, questionId: number, flash: string): Promise<string> {
  const res = await b.post(url, form, questionPage(questionId));
  assert.equal(res.statusCode, 303, `${url}: ${res.statusCode} ${res.body.slice(0, 2000)}`);
  assert.equal(res.headers.location, questionPage(questionId));
  const page = await b.get(questionPage(questionId));
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(flash), `flash "${flash}" missing after ${url}`);
  return page.body;
}

test('a question goes from allocation through a returned draft to a holding answer, a substantive answer and a correction', async () => {
  const { questionId, reference } = await acceptedQuestion(t.db, w, { title: 'Funding for the trafficking unit' });
  const approver = await signedInBrowser(app, t.db, w.actors.approver, clock);
  const officer = await signedInBrowser(app, t.db, w.actors.policeOfficer, clock);
  const anyone = browser(app);
  const publicPage = `/questions/${reference}`;

  // The Mayor's office sees it waiting, and allocates it to the police and a named officer.
  let list = await approver.get('/work/answers');
  assert.equal(list.statusCode, 200);
  const toAllocate = list.body.slice(list.body.indexOf('id="to-allocate"'), list.body.indexOf('Waiting for approval'));
  assert.ok(toAllocate.includes(`data-question-id="${questionId}"`), 'the new question is in "To allocate"');
  let page = await act(
    approver,
    `${questionPage(questionId)}/allocate`,
    { answeringBodyId: String(w.policeId), officerId: String(w.actors.policeOfficer.userId) },
    questionId,
    'The question was allocated.',
  );
  assert.ok(page.includes('Wexbridge Police Service, Olu Police'));
  list = await approver.get('/work/answers');
  assert.ok(!list.body.slice(0, list.body.indexOf('Waiting for approval')).includes(`data-question-id="${questionId}"`), 'no longer to allocate');

  // The officer finds it in their queue, drafts a holding answer and submits it.
  list = await officer.get('/work/answers');
  assert.ok(list.body.includes(`data-question-id="${questionId}"`), "the question is in the officer's queue");
  await act(officer, `${questionPage(questionId)}/drafts`, { kind: 'holding', body: 'Officers are drafting a response.' }, questionId, 'The draft answer was saved.');
  const holding = await latestDraftId(questionId);
  await act(officer, `/work/answers/drafts/${holding}/submit`, {}, questionId, 'submitted for approval');
  assert.equal(await draftState(holding), 'submitted');

  // Each role is offered only its own forms: the officer cannot approve; nobody can publish before approval.
  const formsOn = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]?.replace(/\d+/g, 'N'));
  assert.deepEqual(formsOn((await officer.get(questionPage(questionId))).body), ['/work/answers/drafts/N/abandon']);
  assert.deepEqual(formsOn((await approver.get(questionPage(questionId))).body), [
    '/work/answers/questions/N/transfer',
    '/work/answers/drafts/N/approve',
    '/work/answers/drafts/N/return',
    '/work/answers/drafts/N/abandon',
  ]);

  // The Mayor's office finds it waiting and returns it with a comment.
  list = await approver.get('/work/answers');
  assert.ok(list.body.includes(`data-draft-id="${holding}"`), 'the draft is waiting for approval');
  await act(approver, `/work/answers/drafts/${holding}/return`, { comment: 'Say when the full answer will come.' }, questionId, 'returned to its author');

  // The officer sees the comment, redrafts and resubmits; the public sees none of it.
  page = (await officer.get(questionPage(questionId))).body;
  assert.ok(page.includes('Say when the full answer will come.'));
  assert.ok(page.includes('Returned with comments'));
  let pub = await anyone.get(publicPage);
  assert.equal(pub.statusCode, 200);
  assert.ok(!pub.body.includes('Say when the full answer') && !pub.body.includes('Officers are drafting a response.'));
  const edit = await officer.get(`/work/answers/drafts/${holding}/edit`);
  assert.equal(edit.statusCode, 200);
  assert.ok(edit.body.includes('Say when the full answer will come.'), 'the comment is shown beside the text being edited');
  const edited = await officer.post(`/work/answers/drafts/${holding}/edit`, { body: 'Officers are drafting a response; expect it within a week.' }, `/work/answers/drafts/${holding}/edit`);
  assert.equal(edited.statusCode, 303);
  await act(officer, `/work/answers/drafts/${holding}/submit`, {}, questionId, 'submitted for approval');

  // Approved, then published: the holding answer is on the public record.
  await act(approver, `/work/answers/drafts/${holding}/approve`, {}, questionId, 'approved');
  await act(approver, `/work/answers/drafts/${holding}/publish`, {}, questionId, 'published as version 1');
  pub = await anyone.get(publicPage);
  assert.ok(pub.body.includes('Officers are drafting a response; expect it within a week.'));

  // The substantive answer, published in the name of the deputy mayor.
  await act(officer, `${questionPage(questionId)}/drafts`, { kind: 'substantive', body: 'Funding beyond 2009/10 is not secured.' }, questionId, 'The draft answer was saved.');
  const substantive = await latestDraftId(questionId);
  await act(officer, `/work/answers/drafts/${substantive}/submit`, {}, questionId, 'submitted for approval');
  page = await act(approver, `/work/answers/drafts/${substantive}/approve`, { comment: 'Good.' }, questionId, 'approved');
  assert.ok(page.includes(`value="${w.deputyMayorId}"`), 'the deputy mayor can be chosen to answer');
  await act(approver, `/work/answers/drafts/${substantive}/publish`, { answeredById: String(w.deputyMayorId) }, questionId, 'published as version 2');
  const version2 = await t.db.selectFrom('answer_versions').selectAll().where('question_id', '=', questionId).where('version', '=', 2).executeTakeFirstOrThrow();
  assert.deepEqual([version2.kind, version2.answered_by_id, version2.body], ['substantive', w.deputyMayorId, 'Funding beyond 2009/10 is not secured.']);
  pub = await anyone.get(publicPage);
  assert.ok(pub.body.includes('Funding beyond 2009/10 is not secured.'));

  // Now only a correction can be written, and it corrects the latest published answer unless told otherwise.
  page = (await officer.get(questionPage(questionId))).body;
  assert.ok(page.includes('value="correction"') && !page.includes('value="holding"') && !page.includes('value="substantive"'));
  const missingNote = await officer.post(`${questionPage(questionId)}/drafts`, { kind: 'correction', body: 'Corrected.' }, questionPage(questionId));
  assert.equal(missingNote.statusCode, 400);
  assert.ok(missingNote.body.includes('href="#draft-correctionNote"'), 'the error summary links to the note field');
  await act(
    officer,
    `${questionPage(questionId)}/drafts`,
    { kind: 'correction', body: 'Funding beyond 2010/11 is not secured.', correctionNote: 'The year was wrong.' },
    questionId,
    'The draft answer was saved.',
  );
  const correction = await latestDraftId(questionId);
  const correctionRow = await t.db.selectFrom('answer_drafts').select(['kind', 'corrects_version_id']).where('id', '=', correction).executeTakeFirstOrThrow();
  assert.deepEqual(correctionRow, { kind: 'correction', corrects_version_id: version2.id });
  await act(officer, `/work/answers/drafts/${correction}/submit`, {}, questionId, 'submitted for approval');
  await act(approver, `/work/answers/drafts/${correction}/approve`, {}, questionId, 'approved');
  await act(approver, `/work/answers/drafts/${correction}/publish`, {}, questionId, 'published as version 3');
  pub = await anyone.get(publicPage);
  assert.ok(pub.body.includes('Funding beyond 2010/11 is not secured.'));
  assert.ok(pub.body.includes('The year was wrong.'));
  assert.ok(pub.body.includes('Funding beyond 2009/10 is not secured.'), 'the corrected version stays on the record');

  // The API tells the same story.
  const api = await apiClient(app, t.db, w.actors.approver);
  const workflow = await api.get(`/api/v1/work/questions/${questionId}/workflow`);
  assert.equal(workflow.statusCode, 200);
  const body = workflow.json<Workflow>();
  assert.deepEqual(
    body.versions.map((v) => [v.version, v.kind]),
    [
      [1, 'holding'],
      [2, 'substantive'],
      [3, 'correction'],
    ],
  );
  assert.deepEqual(body.drafts[0]?.comments.map((c) => c.body), ['Say when the full answer will come.']);
  assert.equal(body.drafts[2]?.corrects?.version, 2);
});

test('the API runs the same lifecycle: allocate, draft (201), submit, return, edit, approve, publish', async () => {
  const { questionId } = await acceptedQuestion(t.db, w, { title: 'Night bus safety' });
  const approver = await apiClient(app, t.db, w.actors.approver);
  const officer = await apiClient(app, t.db, w.actors.transportOfficer);
  let res = await approver.send('POST', `/api/v1/work/questions/${questionId}/allocate`, { answeringBodyId: w.transportId });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json<Workflow>().allocations[0]?.answeringBody.id, w.transportId);
  res = await officer.send('POST', `/api/v1/work/questions/${questionId}/drafts`, { kind: 'substantive', body: 'Patrols were doubled.' });
  assert.equal(res.statusCode, 201, res.body);
  const draftId = res.json<Draft>().id;
  assert.equal(res.json<Draft>().state, 'drafting');
  for (const [client, path, payload, state] of [
    [officer, 'submit', {}, 'submitted'],
    [approver, 'return', { comment: 'Which routes?' }, 'returned'],
    [officer, 'edit', { body: 'Patrols were doubled on routes N1 and N2.' }, 'returned'],
    [officer, 'submit', {}, 'submitted'],
    [approver, 'approve', {}, 'approved'],
    [approver, 'publish', {}, 'published'],
  ] as const) {
    res = await client.send('POST', `/api/v1/work/drafts/${draftId}/${path}`, payload);
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    assert.equal(res.json<Draft>().state, state, path);
  }
  assert.equal(res.json<Draft>().publishedVersion?.body, 'Patrols were doubled on routes N1 and N2.');
  const wrong = await officer.send('POST', `/api/v1/work/questions/${questionId}/drafts`, { kind: 'correction', body: 'x' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json<ApiError>().error.fields?.correctionNote, 'Say what the correction changes');
});

test('publishing a draft that is not approved is refused with 409, in the browser and the API, and changes nothing', async () => {
  const { questionId } = await allocatedQuestion(w, { title: 'Unapproved answer' });
  const draftId = await draftAnswer(t.db, w, questionId, { until: 'submitted', body: 'Not yet approved text.' });
  const approver = await signedInBrowser(app, t.db, w.actors.approver, clock);
  const api = await apiClient(app, t.db, w.actors.approver);
  await approver.get(questionPage(questionId));

  const before = await snapshot(t.db);
  const res = await approver.post(`/work/answers/drafts/${draftId}/publish`, {}, questionPage(questionId));
  assert.equal(res.statusCode, 409);
  assert.ok(res.body.includes('There is a problem'));
  assert.ok(res.body.includes('This draft answer is waiting for approval, so it cannot be published.'));
  assert.ok(res.body.includes('<title>Error: '));
  assert.deepEqual(await snapshot(t.db), before);

  const json = await api.send('POST', `/api/v1/work/drafts/${draftId}/publish`);
  assert.equal(json.statusCode, 409);
  assert.equal(json.json<ApiError>().error.code, 'conflict');
  assert.deepEqual(await snapshot(t.db), before);
  assert.equal(await draftState(draftId), 'submitted');
});

test('two publishes of the same draft at once through the API: exactly one 200 and one 409', async () => {
  const { questionId } = await allocatedQuestion(w, { title: 'Raced answer' });
  const draftId = await draftAnswer(t.db, w, questionId, { body: 'Published once.' });
  const first = await apiClient(app, t.db, w.actors.approver);
  const second = await apiClient(app, t.db, w.actors.otherApprover);
  const results = await Promise.all([first.send('POST', `/api/v1/work/drafts/${draftId}/publish`), second.send('POST', `/api/v1/work/drafts/${draftId}/publish`)]);
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  const lost = results.find((r) => r.statusCode === 409);
  assert.equal(lost?.json<ApiError>().error.code, 'conflict');
  const versions = await t.db.selectFrom('answer_versions').select('id').where('question_id', '=', questionId).execute();
  assert.equal(versions.length, 1);
});

test('an officer of another body can neither see nor act on the question and its drafts', async () => {
  const { questionId, reference } = await allocatedQuestion(w, { title: 'Police only' });
  const { draftId } = await run(t.db, (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'substantive', body: 'Police draft.' }));
  const transport = await signedInBrowser(app, t.db, w.actors.transportOfficer, clock);
  const api = await apiClient(app, t.db, w.actors.transportOfficer);

  assert.ok(!(await transport.get('/work/answers')).body.includes(reference));
  for (const url of [questionPage(questionId), `/work/answers/drafts/${draftId}/edit`]) {
    const res = await transport.get(url);
    assert.ok([403, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
    assert.ok(!res.body.includes('Police draft.'));
  }
  for (const action of ['submit', 'edit', 'abandon']) {
    const res = await transport.post(`/work/answers/drafts/${draftId}/${action}`, { body: 'Taken over' }, '/account/tokens');
    assert.ok([403, 404].includes(res.statusCode), `${action}: ${res.statusCode}`);
    assert.ok(!res.body.includes('Police draft.'));
  }
  assert.ok([403, 404].includes((await transport.post(`${questionPage(questionId)}/drafts`, { kind: 'holding', body: 'Mine now' }, '/account/tokens')).statusCode));
  assert.ok([403, 404].includes((await api.get(`/api/v1/work/questions/${questionId}/workflow`)).statusCode));
  assert.ok([403, 404].includes((await api.send('POST', `/api/v1/work/drafts/${draftId}/submit`)).statusCode));
  const draft = await t.db.selectFrom('answer_drafts').select(['state', 'body']).where('id', '=', draftId).executeTakeFirstOrThrow();
  assert.deepEqual(draft, { state: 'drafting', body: 'Police draft.' });
});

test('members and clerks get 403 everywhere; anonymous pages go to sign-in; a form without its CSRF token is refused', async () => {
  const { questionId } = await allocatedQuestion(w, { title: 'Not for members' });
  const draftId = await draftAnswer(t.db, w, questionId, { until: 'drafting' });
  const gets = ['/work/answers', questionPage(questionId), `/work/answers/drafts/${draftId}/edit`];
  const posts = [
    ...['allocate', 'transfer', 'drafts'].map((a) => `${questionPage(questionId)}/${a}`),
    ...['edit', 'submit', 'return', 'approve', 'publish', 'abandon'].map((a) => `/work/answers/drafts/${draftId}/${a}`),
  ];
  const apiGets = ['/api/v1/work/answers/queue', `/api/v1/work/questions/${questionId}/workflow`];
  const apiPosts = [
    ...['allocate', 'transfer', 'drafts'].map((a) => `/api/v1/work/questions/${questionId}/${a}`),
    ...['edit', 'submit', 'return', 'approve', 'publish', 'abandon'].map((a) => `/api/v1/work/drafts/${draftId}/${a}`),
  ];
  const before = await snapshot(t.db);
  for (const actor of [w.actors.member, w.actors.staff, w.actors.clerk]) {
    const b = await signedInBrowser(app, t.db, actor, clock);
    for (const url of gets) assert.equal((await b.get(url)).statusCode, 403, `${actor.role} GET ${url}`);
    for (const url of posts) assert.equal((await b.post(url, { body: 'x', comment: 'x' }, '/account/tokens')).statusCode, 403, `${actor.role} POST ${url}`);
    const api = await apiClient(app, t.db, actor);
    for (const url of apiGets) assert.equal((await api.get(url)).statusCode, 403, `${actor.role} API GET ${url}`);
    for (const url of apiPosts) assert.equal((await api.send('POST', url, { body: 'x' })).statusCode, 403, `${actor.role} API POST ${url}`);
  }
  const anonymous = browser(app);
  for (const url of gets) {
    const res = await anonymous.get(url);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(url)}`);
  }
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/work/answers/queue' })).statusCode, 401);

  const approver = await signedInBrowser(app, t.db, w.actors.approver, clock);
  const forged = await approver.post(`/work/answers/drafts/${draftId}/submit`, {});
  assert.equal(forged.statusCode, 403);
  // API tokens and sessions were created above; the workflow itself is untouched.
  const after = await snapshot(t.db);
  assert.equal(after.answer_drafts, before.answer_drafts);
  assert.equal(after.allocations, before.allocations);
  assert.equal(after.answer_versions, before.answer_versions);
});

test("an officer's queue puts overdue questions first, and shows how late they are and how long a holding answer has stood", async () => {
  const w2 = await createWorld(t.db, start);
  const approver = w2.actors.approver;
  // Answered (so not overdue) but back in the queue with a correction in progress: the lowest id and the same deadline,
  // so only "overdue first" puts it after the overdue ones.
  const answered = await acceptedQuestion(t.db, w2, { title: 'Answered, being corrected' });
  const overdue = await acceptedQuestion(t.db, w2, { title: 'Overdue, nothing yet' });
  const holding = await acceptedQuestion(t.db, w2, { title: 'Overdue, holding answer' });
  const afterMeeting = noonAfter(w2.meetings.future.meetsOn, 1);
  const weeksLater = noonAfter(w2.meetings.future.meetsOn, 30);
  await run(t.db, (trx) => markAsked(trx, w2.actors.clerk, { meetingId: w2.meetings.future.id }, { now: afterMeeting }));
  const notDue = await acceptedQuestion(t.db, w2, { title: 'Not asked yet', meeting: w2.meetings.later });
  for (const q of [answered, overdue, holding, notDue]) {
    await run(t.db, (trx) => allocateQuestion(trx, approver, { questionId: q.questionId, answeringBodyId: w2.policeId }));
  }
  await publishedAnswer(t.db, w2, answered.questionId, { body: 'Answered in time.', now: afterMeeting });
  await draftAnswer(t.db, w2, answered.questionId, { kind: 'correction', until: 'drafting', now: afterMeeting });
  await publishedAnswer(t.db, w2, holding.questionId, { kind: 'holding', body: 'Officers are drafting.', now: afterMeeting });

  clock = weeksLater;
  try {
    const officer = await signedInBrowser(app, t.db, w2.actors.policeOfficer, clock);
    const res = await officer.get('/work/answers');
    assert.equal(res.statusCode, 200);
    const order = [...res.body.matchAll(/data-question-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, [overdue.questionId, holding.questionId, answered.questionId, notDue.questionId]);
    const row = (id: number) => {
      const from = res.body.indexOf(`data-question-id="${id}"`);
      return res.body.slice(from, res.body.indexOf('</tr>', from));
    };
    assert.match(row(overdue.questionId), /(Very o|O)verdue, \d+ working days?</);
    assert.ok(row(holding.questionId).includes(`Published ${formatDate(londonDate(afterMeeting))}`));
    assert.match(row(holding.questionId), /standing for \d+ working days/);
    assert.ok(!row(answered.questionId).includes('overdue'));
    assert.ok(row(answered.questionId).includes('Correction'));
    assert.ok(res.body.includes('<caption'), 'the queue is a table with a caption');

    const api = await apiClient(app, t.db, w2.actors.policeOfficer);
    const queue = (await api.get('/api/v1/work/answers/queue')).json<Queue>().queue ?? [];
    assert.deepEqual(
      queue.map((e) => [e.questionId, e.overdue]),
      [
        [overdue.questionId, true],
        [holding.questionId, true],
        [answered.questionId, false],
        [notDue.questionId, false],
      ],
    );
    assert.equal(queue[1]?.holdingAnswer?.publishedOn, londonDate(afterMeeting));
    assert.ok(['overdue', 'very_overdue'].includes(queue[0]?.lateness?.band ?? ''));

    const office = await apiClient(app, t.db, approver);
    const lists = (await office.get('/api/v1/work/answers/queue')).json<Queue>();
    assert.deepEqual(Object.keys(lists).sort(), ['awaitingApproval', 'open', 'toAllocate']);
    const ours = (lists.open ?? []).filter((e) => [answered, overdue, holding, notDue].some((q) => q.questionId === e.questionId));
    assert.equal(ours.length, 4);
    assert.ok(ours.every((e) => e.answeringBody?.id === w2.policeId));
    const page = await (await signedInBrowser(app, t.db, approver, clock)).get('/work/answers');
    assert.ok(page.body.includes('All open questions') && page.body.includes('To allocate') && page.body.includes('Waiting for approval'));
  } finally {
    clock = start;
  }
});
