import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiClient, browser, signedInBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { createWorld, type World } from '../workflow/test-factories.ts';
import { acceptedOral, partyGroup, type TestGroup } from './order-paper.test-factories.ts';

let t: TestDatabase;
let app: FastifyInstance;
const now = new Date();
const minute = (n: number) => new Date(now.getTime() + n * 60_000);

before(async () => {
  t = await createTestDatabase();
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
});
after(async () => {
  await app.close();
  await t.close();
});

interface Setup {
  w: World;
  alpha: TestGroup;
  beta: TestGroup;
  slug: string;
  meetingId: number;
  /** Question ids and references, in the default order. */
  expected: { id: number; reference: string; title: string; asker: string; group: string }[];
}

/** Alpha (4), Beta (2), two independents: the default order is A B A P A B (see order-paper.commands.test.ts). */
async function setup(): Promise<Setup> {
  const w = await createWorld(t.db, now);
  const alpha = await partyGroup(t.db, w, 'Alpha Group', 4);
  const beta = await partyGroup(t.db, w, 'Beta Group', 2);
  const [a1, a2] = alpha.members;
  const [b1, b2] = beta.members;
  if (!a1 || !a2 || !b1 || !b2) throw new Error('groups not created');
  const q = async (asker: typeof a1, at: number, title: string, group: string) => {
    const { questionId, reference } = await acceptedOral(t.db, w, asker, minute(at), title);
    return { id: questionId, reference, title, asker: asker.displayName, group };
  };
  const beta1 = await q(b1, 1, 'Night <b>buses</b> in the east', 'Beta');
  const alpha1 = await q(a1, 2, '=SUM(A1) spent on consultants', 'Alpha');
  const beta2 = await q(b2, 3, 'Cycle lanes on the ring road', 'Beta');
  const indep = await q(w.actors.member, 4, 'Police numbers', 'Independent');
  const alpha2 = await q(a2, 5, 'Fire station closures', 'Alpha');
  const alpha3 = await q(a1, 6, 'Affordable homes', 'Alpha');
  const meeting = await t.db.selectFrom('meetings').select(['id', 'slug']).where('id', '=', w.meetings.future.id).executeTakeFirstOrThrow();
  return { w, alpha, beta, slug: meeting.slug, meetingId: meeting.id, expected: [alpha1, beta1, alpha2, indep, alpha3, beta2] };
}

const positionsOf = (meetingId: number) =>
  t.db.selectFrom('order_paper_entries').select(['question_id', 'position']).where('meeting_id', '=', meetingId).orderBy('position').execute();

/** The references in the order they appear in a page's order-paper table. */
function referencesInTable(html: string): string[] {
  const table = /<table[^>]*id="order-paper"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<td class="govuk-table__cell">(?:<a [^>]*>)?(\d{4}\/\d{4,5})/g)].map((m) => m[1]!);
}

describe('the clerk compiles, reorders and publishes in the browser', () => {
  test('the whole journey, with the public paper appearing only on publication', async () => {
    const { w, slug, meetingId, expected } = await setup();
    const page = `/work/clerk/meetings/${meetingId}/order-paper`;
    const clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);
    const anonymous = browser(app);

    const empty = await clerk.get(page);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Not compiled/);
    assert.match(empty.body, /6 accepted oral questions are not on the paper/);
    assert.equal((await anonymous.get(`/meetings/${slug}/order-paper`)).statusCode, 404);

    const compiled = await clerk.post(`${page}/compile`, {}, page);
    assert.equal(compiled.statusCode, 303);
    assert.equal(compiled.headers.location, page);
    const after = await clerk.get(page);
    assert.match(after.body, /The order paper was compiled in the default order: 6 questions/);
    assert.deepEqual(
      referencesInTable(after.body),
      expected.map((e) => e.reference),
    );
    assert.match(after.body, /Night &lt;b&gt;buses&lt;\/b&gt; in the east/);
    assert.match(after.body, /This paper is in the default order/);
    assert.match(after.body, /Compiled, not published/);

    // Compiled but not published: nothing public yet.
    for (const url of [`/meetings/${slug}/order-paper`, `/meetings/${slug}/order-paper.csv`, `/api/v1/meetings/${slug}/order-paper`]) {
      assert.equal((await anonymous.get(url)).statusCode, 404, url);
    }

    // Move the independent's question (4th) up, with the button's own form.
    const indep = expected[3]!;
    const moved = await clerk.post(`${page}/move`, { questionId: String(indep.id), direction: 'up' }, page);
    assert.equal(moved.statusCode, 303);
    const order = (await positionsOf(meetingId)).map((e) => e.question_id);
    assert.deepEqual(order, [expected[0]!.id, expected[1]!.id, indep.id, expected[2]!.id, expected[4]!.id, expected[5]!.id]);
    const audit = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('record_type', '=', 'order_paper')
      .where('record_id', '=', meetingId)
      .where('action', '=', 'order_paper.question_moved')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, w.actors.clerk.userId);
    assert.deepEqual(audit.details, { questionId: indep.id, reference: indep.reference, fromPosition: 4, toPosition: 3 });
    const movedPage = await clerk.get(page);
    assert.match(movedPage.body, /The question moved from position 4 to position 3/);
    assert.match(movedPage.body, /changed the default order by hand/);

    // And back down to 4 with the position field.
    assert.equal((await clerk.post(`${page}/move`, { questionId: String(indep.id), position: '4' }, page)).statusCode, 303);
    assert.deepEqual(
      (await positionsOf(meetingId)).map((e) => e.question_id),
      expected.map((e) => e.id),
    );

    const published = await clerk.post(`${page}/publish`, {}, page);
    assert.equal(published.statusCode, 303);
    assert.match((await clerk.get(page)).body, /See the public paper/);

    const publicPage = await anonymous.get(`/meetings/${slug}/order-paper`);
    assert.equal(publicPage.statusCode, 200);
    assert.match(publicPage.body, /<h1 class="govuk-heading-l">Priority Order Paper<\/h1>/);
    assert.deepEqual(
      referencesInTable(publicPage.body),
      expected.map((e) => e.reference),
    );
    for (const e of expected) assert.ok(publicPage.body.includes(e.asker), e.asker);
    assert.match(publicPage.body, /<td class="govuk-table__cell">Alpha<\/td>/);
    assert.match(publicPage.body, /<td class="govuk-table__cell">Independent<\/td>/);
    assert.match(publicPage.body, /How the default order is made/);
    assert.match(publicPage.body, /quota method/);
    assert.match(publicPage.body, /Party groups on .* \(8 members\)/);
    assert.match(publicPage.body, /Independent: Priya Okafor/);
    assert.match(publicPage.body, new RegExp(`href="/meetings/${slug}/order-paper.csv"`));
    assert.match(publicPage.body, /class="app-paper app-order-paper"/);
    assert.doesNotMatch(publicPage.body, /Night <b>/);

    const csv = await anonymous.get(`/meetings/${slug}/order-paper.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), new RegExp(`attachment; filename="${slug}-order-paper.csv"`));
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.deepEqual(lines, [
      'position,reference,title,asker,party_group,withdrawn',
      ...expected.map((e, i) => [String(i + 1), e.reference, e.title.startsWith('=') ? `'${e.title}` : e.title, e.asker, e.group, 'no'].join(',')),
    ]);

    const json = await anonymous.get(`/api/v1/meetings/${slug}/order-paper`);
    assert.equal(json.statusCode, 200);
    const body = json.json<{ meeting: { slug: string }; publishedAt: string; followsDefaultOrder: boolean; method: string[]; entries: Record<string, unknown>[]; partyGroups: { name: string; members: number; questions: number }[] }>();
    assert.equal(body.meeting.slug, slug);
    assert.equal(body.publishedAt, now.toISOString());
    assert.equal(body.followsDefaultOrder, true);
    assert.ok(body.method.length > 0);
    assert.deepEqual(
      body.entries.map((e) => [e.position, e.reference, e.title, (e.asker as { name: string }).name, e.partyGroup]),
      expected.map((e, i) => [i + 1, e.reference, e.title, e.asker, e.group]),
    );
    assert.deepEqual(Object.keys(body.entries[0] ?? {}).sort(), ['asker', 'partyGroup', 'position', 'reference', 'title', 'url', 'withdrawn']);
    assert.equal(body.entries[0]?.url, `http://answerable.test/questions/${expected[0]!.reference}`);
    assert.deepEqual(
      body.partyGroups.map((g) => [g.name, g.members, g.questions]),
      [
        ['Alpha', 4, 3],
        ['Beta', 2, 2],
        ['Independent: Gareth Lowe', 1, 0],
        ['Independent: Priya Okafor', 1, 1],
      ],
    );
    const alias = await anonymous.get(`/api/v1/meetings/${slug}/papers/order-paper`);
    assert.deepEqual(alias.json(), body);
  });

  test('refused actions re-render the page with an error summary and save nothing', async () => {
    const { w, meetingId, expected } = await setup();
    const page = `/work/clerk/meetings/${meetingId}/order-paper`;
    const clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);

    const publishFirst = await clerk.post(`${page}/publish`, {}, page);
    assert.equal(publishFirst.statusCode, 409);
    assert.match(publishFirst.body, /There is a problem/);
    assert.match(publishFirst.body, /<a href="#publish">Compile the order paper before publishing it.<\/a>/);
    assert.match(publishFirst.body, /<title>Error: /);

    await clerk.post(`${page}/compile`, {}, page);
    const before = await positionsOf(meetingId);
    const first = await clerk.post(`${page}/move`, { questionId: String(expected[0]!.id), direction: 'up' }, page);
    assert.equal(first.statusCode, 409);
    assert.match(first.body, /<a href="#order-paper">That question is already first on the order paper.<\/a>/);

    const junk = await clerk.post(`${page}/move`, { questionId: String(expected[0]!.id), position: 'two' }, page);
    assert.equal(junk.statusCode, 400);
    assert.match(junk.body, /<a href="#position">Enter the new position as a whole number<\/a>/);
    assert.match(junk.body, /value="two"/);
    assert.match(junk.body, new RegExp(`<option value="${expected[0]!.id}" selected>`));

    const beyond = await clerk.post(`${page}/move`, { questionId: String(expected[0]!.id), position: '9' }, page);
    assert.equal(beyond.statusCode, 400);
    assert.match(beyond.body, /Enter a position from 1 to 6/);

    const noQuestion = await clerk.post(`${page}/move`, { questionId: '', position: '2' }, page);
    assert.equal(noQuestion.statusCode, 400);
    assert.match(noQuestion.body, /<a href="#questionId">Choose a question on the order paper<\/a>/);
    assert.deepEqual(await positionsOf(meetingId), before);

    // After the meeting: a clear message, no forms to change the order.
    const heldPage = `/work/clerk/meetings/${w.meetings.held.id}/order-paper`;
    const held = await clerk.get(heldPage);
    assert.match(held.body, /The meeting has been held: the order paper can no longer be compiled or reordered/);
    assert.doesNotMatch(held.body, /order-paper\/compile/);
    // (the held meeting's page has no form, so the CSRF token comes from this meeting's page)
    const compileHeld = await clerk.post(`${heldPage}/compile`, {}, page);
    assert.equal(compileHeld.statusCode, 409);
    assert.match(compileHeld.body, /The meeting has been held, so its order paper can no longer be compiled or reordered/);
  });
});

describe('who may do what', () => {
  test('members, approvers and the public cannot see or change the clerk side; junk ids are not found', async () => {
    const { w, meetingId, slug } = await setup();
    const page = `/work/clerk/meetings/${meetingId}/order-paper`;
    const member = await signedInBrowser(app, t.db, w.actors.member, now);
    assert.equal((await member.get(page)).statusCode, 403);
    const approver = await signedInBrowser(app, t.db, w.actors.approver, now);
    assert.equal((await approver.get(page)).statusCode, 403);
    // A member's POST with a valid CSRF token from a page they may see.
    const memberPost = await member.post(`${page}/compile`, {}, '/work/questions');
    assert.equal(memberPost.statusCode, 403);
    const anonymous = browser(app);
    const redirect = await anonymous.get(page);
    assert.equal(redirect.statusCode, 303);
    assert.match(String(redirect.headers.location), /^\/sign-in/);

    const api = await apiClient(app, t.db, w.actors.member);
    for (const action of ['compile', 'move', 'publish']) {
      assert.equal((await api.send('POST', `/api/v1/work/meetings/${meetingId}/order-paper/${action}`, {})).statusCode, 403, action);
    }
    assert.equal((await t.db.selectFrom('order_paper_entries').select('question_id').where('meeting_id', '=', meetingId).execute()).length, 0);

    const clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);
    assert.equal((await clerk.get('/work/clerk/meetings/abc/order-paper')).statusCode, 404);
    assert.equal((await clerk.get('/work/clerk/meetings/2000000000/order-paper')).statusCode, 404);
    assert.equal((await anonymous.get('/meetings/no-such-meeting/order-paper')).statusCode, 404);
    assert.equal((await anonymous.get(`/meetings/${slug}/order-paper`)).statusCode, 404);
  });
});

describe('the clerk API', () => {
  test('compile, move and publish with a token, each answering with the paper as it stands', async () => {
    const { w, meetingId, slug, expected } = await setup();
    const api = await apiClient(app, t.db, w.actors.clerk);
    const base = `/api/v1/work/meetings/${meetingId}/order-paper`;

    const compiled = await api.send('POST', `${base}/compile`);
    assert.equal(compiled.statusCode, 200);
    type Paper = { status: string; followsDefaultOrder: boolean; entries: { position: number; questionId: number; reference: string; partyGroup: string }[]; moved?: unknown };
    const paper = compiled.json<Paper>();
    assert.equal(paper.status, 'compiled');
    assert.deepEqual(
      paper.entries.map((e) => e.questionId),
      expected.map((e) => e.id),
    );
    assert.deepEqual(
      paper.entries.map((e) => e.partyGroup),
      ['Alpha', 'Beta', 'Alpha', 'Independent', 'Alpha', 'Beta'],
    );

    const moved = await api.send('POST', `${base}/move`, { questionId: expected[5]!.id, position: 1 });
    assert.equal(moved.statusCode, 200);
    const afterMove = moved.json<Paper>();
    assert.deepEqual(afterMove.moved, { questionId: expected[5]!.id, fromPosition: 6, toPosition: 1 });
    assert.equal(afterMove.entries[0]?.questionId, expected[5]!.id);
    assert.equal(afterMove.followsDefaultOrder, false);

    const bad = await api.send('POST', `${base}/move`, { questionId: expected[5]!.id, direction: 'up' });
    assert.equal(bad.statusCode, 409);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, 'conflict');
    const invalid = await api.send('POST', `${base}/move`, { questionId: 'x', position: 2 });
    assert.equal(invalid.statusCode, 400);
    assert.ok(invalid.json<{ error: { fields: Record<string, string> } }>().error.fields.questionId);

    const published = await api.send('POST', `${base}/publish`);
    assert.equal(published.statusCode, 200);
    assert.equal(published.json<Paper>().status, 'published');
    assert.equal((await api.send('POST', `${base}/publish`)).statusCode, 409);
    assert.equal((await api.get(base)).json<Paper>().status, 'published');

    const publicJson = await browser(app).get(`/api/v1/meetings/${slug}/order-paper`);
    assert.equal(publicJson.statusCode, 200);
    assert.equal(publicJson.json<{ entries: { reference: string }[] }>().entries[0]?.reference, expected[5]!.reference);
  });
});
