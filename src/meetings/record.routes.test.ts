// The clerk records a meeting in the browser and through the API; the public meeting page and every paper (HTML,
// CSV, JSON) then show exactly that record. Bad input is refused with a clear message and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { statutoryDeadline } from '../questions/deadline.ts';
import { apiClient, signedInBrowser, browser, type TestApiClient, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { createWorld, publishedAnswer, type World } from '../workflow/test-factories.ts';
import { meetingToRecord, recordSnapshot, type MeetingToRecord } from './record.test-factories.ts';

let t: TestDatabase;
let app: FastifyInstance;
let w: World;
let m: MeetingToRecord;
let clerk: TestBrowser;
let clerkApi: TestApiClient;
const clock = new Date();
const names = { mayor: '', member: '', other: '' };

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, clock);
  m = await meetingToRecord(t.db, w);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
  clerk = await signedInBrowser(app, t.db, w.actors.clerk, clock);
  clerkApi = await apiClient(app, t.db, w.actors.clerk);
  const name = async (id: number) => (await t.db.selectFrom('people').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
  names.mayor = await name(w.mayorId);
  names.member = await name(w.memberPersonId);
  names.other = await name(w.otherMemberPersonId);
});
after(async () => {
  await app.close();
  await t.close();
});

const page = () => `/work/clerk/meetings/${m.meetingId}/record`;
const post = (action: string, form: Record<string, string | string[]>) => clerk.post(`${page()}/${action}`, form, page());
const api = (action: string, body: unknown) => clerkApi.send('POST', `/api/v1/work/meetings/${m.meetingId}/${action}`, body);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

async function unchanged(action: () => Promise<void>) {
  const before = await recordSnapshot(t.db);
  await action();
  assert.deepEqual(await recordSnapshot(t.db), before, 'a refused request changed the record');
}

test('bad input, in the browser and the API, gets a clear message and changes nothing', async () => {
  // Nobody attends yet, so nobody can be recorded as speaking.
  await unchanged(async () => {
    const res = await post('turns', { questionId: String(m.oral[0]!.questionId), speakerId: String(w.mayorId), text: 'Hello.' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, new RegExp(`href="#turn-${m.oral[0]!.questionId}-speakerId"`));
    assert.match(res.body, new RegExp(`${escape(names.mayor)} was not at this meeting`));
    assert.match(res.body, /Hello\./, 'what the clerk typed is kept');
  });
  await unchanged(async () => {
    const res = await api('turns', { questionId: m.oral[0]!.questionId, speakerId: w.mayorId, text: 'Hello.' });
    assert.equal(res.statusCode, 400);
    const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
    assert.equal(body.error.code, 'validation_failed');
    assert.match(body.error.fields.speakerId ?? '', /was not at this meeting/);
  });
  // A supplementary without an oral question.
  await unchanged(async () => {
    const res = await post('supplementaries', { askerId: String(w.memberPersonId), text: 'Follow-up?' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Choose the oral question the supplementary follows/);
    const json = await api('supplementaries', { askerId: w.memberPersonId, text: 'Follow-up?' });
    assert.equal(json.statusCode, 400);
    assert.match(json.json<{ error: { fields: Record<string, string> } }>().error.fields.oralQuestionId ?? '', /Choose the oral question/);
    const written = await api('supplementaries', { oralQuestionId: m.written.questionId, askerId: w.memberPersonId, text: 'Follow-up?' });
    assert.equal(written.statusCode, 400);
    assert.match(written.json<{ error: { message: string } }>().error.message, /follows an oral question/);
  });
  // A meeting not yet held.
  const future = w.meetings.future.id;
  await unchanged(async () => {
    const res = await clerk.post(`/work/clerk/meetings/${future}/record/attendance`, { personIds: [String(w.mayorId)] }, page());
    assert.equal((await clerk.get(`/work/clerk/meetings/${future}/record`)).statusCode, 200);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /has not been held yet/);
    const json = await clerkApi.send('POST', `/api/v1/work/meetings/${future}/turns`, { questionId: m.oral[0]!.questionId, speakerId: w.mayorId, text: 'Early.' });
    assert.equal(json.statusCode, 409);
    assert.match(json.json<{ error: { message: string } }>().error.message, /has not been held yet/);
  });
});

test('only the clerk can see the record page or change the record', async () => {
  const others: { actor: World['actors']['member']; b: TestBrowser; client: TestApiClient }[] = [];
  for (const actor of [w.actors.member, w.actors.approver, w.actors.admin]) {
    others.push({ actor, b: await signedInBrowser(app, t.db, actor, clock), client: await apiClient(app, t.db, actor) });
  }
  await unchanged(async () => {
    for (const { actor, b, client } of others) {
      assert.equal((await b.get(page())).statusCode, 403);
      assert.equal((await b.post(`${page()}/turns`, { questionId: String(m.oral[0]!.questionId), speakerId: String(w.mayorId), text: 'x' }, '/account')).statusCode, 403);
      for (const action of ['attendance', 'turns', 'supplementaries', 'reached', 'oral-answers']) {
        assert.equal((await client.send('POST', `/api/v1/work/meetings/${m.meetingId}/${action}`, {})).statusCode, 403, `${actor.role} ${action}`);
      }
      assert.equal((await client.get(`/api/v1/work/meetings/${m.meetingId}/record`)).statusCode, 403);
    }
    const anonymous = await browser(app).get(page());
    assert.equal(anonymous.statusCode, 303);
  });
});

test('the clerk records two questions reached (answers, supplementaries) and one not reached; every paper shows exactly that', async () => {
  const [q1, q2, q3] = m.oral;
  assert.ok(q1 && q2 && q3);
  const ok = async (res: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return res;
  };
  const recordPage = await clerk.get(page());
  assert.equal(recordPage.statusCode, 200);
  assert.match(recordPage.body, /Who attended/);

  // In the browser: attendance, the first exchange, a supplementary and its answer.
  await ok(await post('attendance', { personIds: [String(w.mayorId), String(w.memberPersonId), String(w.otherMemberPersonId)] }));
  await ok(await post('turns', { questionId: String(q1.questionId), speakerId: String(w.memberPersonId), text: 'Mayor, when will the bus lanes open?' }));
  await ok(await post('turns', { questionId: String(q1.questionId), speakerId: String(w.mayorId), text: 'In the spring.' }));
  await ok(await post('supplementaries', { oralQuestionId: String(q1.questionId), askerId: String(w.otherMemberPersonId), text: 'Will cyclists use them?' }));
  const sup1 = await t.db.selectFrom('questions').select('id').where('parent_question_id', '=', q1.questionId).executeTakeFirstOrThrow();
  await ok(await post('turns', { questionId: String(sup1.id), speakerId: String(w.mayorId), text: 'Yes, cyclists too.' }));
  // A turn recorded in error, then removed.
  await ok(await post('turns', { questionId: String(q1.questionId), speakerId: String(w.otherMemberPersonId), text: 'Recorded in error.' }));
  const wrong = await t.db.selectFrom('transcript_turns').select('id').where('body', '=', 'Recorded in error.').executeTakeFirstOrThrow();
  await ok(await clerk.post(`${page()}/turns/${wrong.id}/remove`, {}, page()));

  // Through the API: the second exchange and its supplementary.
  const turn = await api('turns', { questionId: q2.questionId, speakerId: w.otherMemberPersonId, text: 'Which police stations will close?' });
  assert.equal(turn.statusCode, 201);
  assert.deepEqual(Object.keys(turn.json<object>()).sort(), ['id', 'meetingId', 'position', 'questionId', 'speaker', 'text']);
  assert.equal((await api('turns', { questionId: q2.questionId, speakerId: w.mayorId, text: 'None this year.' })).statusCode, 201);
  const sup = await api('supplementaries', { oralQuestionId: q2.questionId, askerId: w.memberPersonId, text: 'And next year?' });
  assert.equal(sup.statusCode, 201);
  const sup2 = sup.json<{ id: number; number: number; title: string }>();
  assert.deepEqual([sup2.number, sup2.title], [1, 'Police station closures (Supplementary) [1]']);
  assert.equal((await api('turns', { questionId: sup2.id, speakerId: w.mayorId, text: 'That is for the review.' })).statusCode, 201);

  // Reached, not reached: in the browser.
  await ok(await post('reached', { oralQuestionIds: [q1, q2, q3].map((q) => String(q.questionId)), [`reached-${q1.questionId}`]: 'yes', [`reached-${q2.questionId}`]: 'yes', [`reached-${q3.questionId}`]: 'no' }));
  const due = statutoryDeadline(m.meetsOn, 3);
  const third = await t.db.selectFrom('questions').select(['asked_on', 'due_on', 'not_reached']).where('id', '=', q3.questionId).executeTakeFirstOrThrow();
  assert.deepEqual(third, { asked_on: m.meetsOn, due_on: due, not_reached: true });
  // The oral answers: one in the browser, one through the API.
  await ok(await post('oral-answers', { questionId: String(q1.questionId) }));
  const published = await api('oral-answers', { questionId: q2.questionId });
  assert.equal(published.statusCode, 201);
  assert.equal(published.json<{ text: string; delivery: string }>().text, 'None this year.');
  // The record is fixed now: a late turn is refused in the browser with the reason.
  await unchanged(async () => {
    const res = await post('turns', { questionId: String(q1.questionId), speakerId: String(w.mayorId), text: 'Too late.' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /oral answer to this question has been published/);
  });
  const recorded = (await clerk.get(page())).body;
  const ids = [...recorded.matchAll(/\sid="([^"]+)"/g)].map((x) => x[1]);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no element id is used twice on the record page');
  assert.match(recorded, /Not reached \(Oral\): answered in writing, due by the end of/);
  const clerkView = (await clerkApi.get(`/api/v1/work/meetings/${m.meetingId}/record`)).json<{ oralQuestions: { reached: boolean; oralAnswerPublished: boolean }[] }>();
  assert.deepEqual(clerkView.oralQuestions.map((q) => [q.reached, q.oralAnswerPublished]), [[true, true], [true, true], [false, false]]);

  // The public meeting page.
  const pub = browser(app);
  const meetingPage = (await pub.get(`/meetings/${m.slug}`)).body;
  for (const text of ['Mayor, when will the bus lanes open?', 'In the spring.', 'Bus lanes on the Ring Road (Supplementary) [1]', 'Yes, cyclists too.', 'Which police stations will close?', 'Police station closures (Supplementary) [1]', 'That is for the review.']) {
    assert.ok(meetingPage.includes(escape(text)), `meeting page shows "${text}"`);
  }
  assert.ok(!meetingPage.includes('Recorded in error.'));
  assert.match(meetingPage, new RegExp(`${q3.reference.replace('/', '\\/')}: Street lighting in Northfleet \\(Oral\\)`));
  assert.match(meetingPage, /Not reached at the meeting, so answered in writing: due by the end of/);
  assert.match(meetingPage, /4<\/strong> questions asked:\s*2 answered orally, 0 answered in writing on time, 0 answered late, 2 still awaiting an answer/);
  assert.ok(meetingPage.indexOf(q1.reference) < meetingPage.indexOf(q2.reference) && meetingPage.indexOf(q2.reference) < meetingPage.indexOf(q3.reference));

  // The meeting's JSON.
  const json = (await pub.get(`/api/v1/meetings/${m.slug}`)).json<{
    summary: Record<string, number>;
    oralQuestions: { reference: string; notReached: boolean; dueOn: string | null; answer: { delivery: string; text: string } | null; transcript: { speaker: { name: string }; text: string }[]; supplementaries: { number: number; title: string; asker: { name: string }; transcript: { text: string }[] }[] }[];
    writtenQuestions: { reference: string; dueOn: string }[];
  }>();
  assert.deepEqual(json.summary, { questions: 4, asked: 4, answeredOrally: 2, answeredOnTime: 0, answeredLate: 0, awaiting: 2, withdrawn: 0 });
  assert.deepEqual(
    json.oralQuestions.map((q) => ({ reference: q.reference, notReached: q.notReached, dueOn: q.dueOn, answer: q.answer?.text ?? null, transcript: q.transcript.map((x) => `${x.speaker.name}: ${x.text}`), sups: q.supplementaries.map((s) => [s.number, s.title, s.asker.name, s.transcript.map((x) => x.text)]) })),
    [
      {
        reference: q1.reference,
        notReached: false,
        dueOn: null,
        answer: 'In the spring.',
        transcript: [`${names.member}: Mayor, when will the bus lanes open?`, `${names.mayor}: In the spring.`],
        sups: [[1, 'Bus lanes on the Ring Road (Supplementary) [1]', names.other, ['Will cyclists use them?', 'Yes, cyclists too.']]],
      },
      {
        reference: q2.reference,
        notReached: false,
        dueOn: null,
        answer: 'None this year.',
        transcript: [`${names.other}: Which police stations will close?`, `${names.mayor}: None this year.`],
        sups: [[1, 'Police station closures (Supplementary) [1]', names.member, ['And next year?', 'That is for the review.']]],
      },
      { reference: q3.reference, notReached: true, dueOn: due, answer: null, transcript: [], sups: [] },
    ],
  );
  assert.deepEqual(json.writtenQuestions.map((q) => [q.reference, q.dueOn]), [[m.written.reference, due]]);

  // The transcript paper: HTML, CSV, JSON.
  const transcript = (await pub.get(`/meetings/${m.slug}/transcript`)).body;
  assert.match(transcript, /<h1 class="govuk-heading-l">Transcript<\/h1>/);
  assert.ok(transcript.includes(escape('Police station closures (Supplementary) [1]')));
  assert.match(transcript, /Questions not reached/);
  const csvRes = await pub.get(`/meetings/${m.slug}/transcript.csv`);
  assert.match(String(csvRes.headers['content-type']), /^text\/csv/);
  assert.match(String(csvRes.headers['content-disposition']), new RegExp(`attachment; filename="${m.slug}-transcript.csv"`));
  assert.deepEqual(parse(csvRes.body, { bom: true }), [
    ['Reference', 'Question', 'Supplementary', 'Speaker', 'Text'],
    [q1.reference, q1.title, '', names.member, 'Mayor, when will the bus lanes open?'],
    [q1.reference, q1.title, '', names.mayor, 'In the spring.'],
    [q1.reference, 'Bus lanes on the Ring Road (Supplementary) [1]', '1', names.other, 'Will cyclists use them?'],
    [q1.reference, 'Bus lanes on the Ring Road (Supplementary) [1]', '1', names.mayor, 'Yes, cyclists too.'],
    [q2.reference, q2.title, '', names.other, 'Which police stations will close?'],
    [q2.reference, q2.title, '', names.mayor, 'None this year.'],
    [q2.reference, 'Police station closures (Supplementary) [1]', '1', names.member, 'And next year?'],
    [q2.reference, 'Police station closures (Supplementary) [1]', '1', names.mayor, 'That is for the review.'],
  ]);
  const transcriptJson = (await pub.get(`/api/v1/meetings/${m.slug}/papers/transcript`)).json<{ questions: { reference: string }[]; notReached: { reference: string; title: string }[]; present: { name: string }[] }>();
  assert.deepEqual(transcriptJson.questions.map((q) => q.reference), [q1.reference, q2.reference]);
  assert.deepEqual(transcriptJson.notReached.map((q) => [q.reference, q.title]), [[q3.reference, 'Street lighting in Northfleet (Oral)']]);
  assert.deepEqual(transcriptJson.present.map((p) => p.name).sort(), [names.mayor, names.member, names.other].sort());

  // The all questions list.
  const questions = (await pub.get(`/api/v1/meetings/${m.slug}/papers/questions`)).json<{ oralQuestions: { reference: string; position: number; title: string }[]; writtenQuestions: { reference: string; dueOn: string }[] }>();
  assert.deepEqual(questions.oralQuestions.map((q) => [q.position, q.reference, q.title]), [
    [1, q1.reference, q1.title],
    [2, q2.reference, q2.title],
    [3, q3.reference, `${q3.title} (Oral)`],
  ]);
  assert.deepEqual(questions.writtenQuestions.map((q) => [q.reference, q.dueOn]), [[m.written.reference, due]]);
  const questionsCsv = parse((await pub.get(`/meetings/${m.slug}/questions.csv`)).body, { bom: true });
  assert.deepEqual(questionsCsv.map((r) => [r[0], r[1], r[2], r[3], r[7]]), [
    ['Reference', 'Type', 'Order paper position', 'Title', 'Answer due'],
    [q1.reference, 'Oral', '1', q1.title, ''],
    [q2.reference, 'Oral', '2', q2.title, ''],
    [q3.reference, 'Oral', '3', `${q3.title} (Oral)`, due],
    [m.written.reference, 'Written', '', 'Library opening hours', due],
  ]);
  assert.match((await pub.get(`/meetings/${m.slug}/questions`)).body, /Street lighting in Northfleet \(Oral\)/);

  // The answered questions paper is live: it grows when the written answer to the question not reached is published.
  const answersBefore = (await pub.get(`/api/v1/meetings/${m.slug}/papers/answers`)).json<{ answers: { reference: string; answer: { delivery: string; text: string } }[] }>();
  assert.deepEqual(answersBefore.answers.map((a) => [a.reference, a.answer.delivery, a.answer.text]), [
    [q1.reference, 'oral', 'In the spring.'],
    [q2.reference, 'oral', 'None this year.'],
  ]);
  await publishedAnswer(t.db, w, q3.questionId, { body: 'The lights will be replaced by March.', now: clock });
  const answersAfter = (await pub.get(`/api/v1/meetings/${m.slug}/papers/answers`)).json<{ answers: { reference: string; answer: { delivery: string; text: string } }[] }>();
  assert.deepEqual(answersAfter.answers.map((a) => [a.reference, a.answer.delivery, a.answer.text]), [
    [q1.reference, 'oral', 'In the spring.'],
    [q2.reference, 'oral', 'None this year.'],
    [q3.reference, 'written', 'The lights will be replaced by March.'],
  ]);
  const answersCsv = parse((await pub.get(`/meetings/${m.slug}/answers.csv`)).body, { bom: true });
  assert.deepEqual(answersCsv.map((r) => [r[0], r[2], r[5], r[7]]), [
    ['Reference', 'Title', 'Answer', 'Delivered'],
    [q1.reference, q1.title, 'In the spring.', 'Orally at the meeting'],
    [q2.reference, q2.title, 'None this year.', 'Orally at the meeting'],
    [q3.reference, `${q3.title} (Oral)`, 'The lights will be replaced by March.', 'In writing'],
  ]);
  assert.match((await pub.get(`/meetings/${m.slug}/answers`)).body, /The lights will be replaced by March\./);

  // The agenda.
  const agenda = (await pub.get(`/api/v1/meetings/${m.slug}/papers/agenda`)).json<{ items: { number: number; title: string; text: string }[] }>();
  assert.deepEqual(agenda.items.map((i) => i.title), ['Apologies for absence and chair’s announcements', 'Declarations of interests', 'The Mayor’s report', 'Questions to the Mayor', 'Date of the next meeting']);
  assert.match(agenda.items[0]!.text, new RegExp(`Present: .*${names.member}`));
  assert.match(agenda.items[3]!.text, /3 oral questions, taken in the order of the Priority Order Paper, and 1 written question/);
  assert.equal(parse((await pub.get(`/meetings/${m.slug}/agenda.csv`)).body, { bom: true }).length, 6);
  const agendaHtml = (await pub.get(`/meetings/${m.slug}/agenda`)).body;
  assert.match(agendaHtml, /<article class="app-paper">/);
  assert.match(agendaHtml, new RegExp(`href="/meetings/${m.slug}/order-paper"`), 'the published Priority Order Paper is linked');
  assert.doesNotMatch(agendaHtml, new RegExp(`href="/meetings/${m.slug}/report"`), 'no Mayor’s report is published');
  assert.equal((await pub.get('/meetings/no-such-meeting/agenda')).statusCode, 404);
  assert.equal((await pub.get('/api/v1/meetings/no-such-meeting/papers/transcript')).statusCode, 404);
});
