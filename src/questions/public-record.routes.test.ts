// The public record's pages and JSON twins over the demo: question threads, timelines, citations, member, group,
// body and topic pages with their figures (checked against the raw record), about pages and helpful 404s.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDemoApp, FIXED_NOW, type DemoApp } from '../testing/demo-app.ts';
import { findReferencesInText, formatReference } from './reference.ts';

let demo: DemoApp;
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

const get = (url: string) => demo.app.inject({ method: 'GET', url });
const json = async <T = Record<string, unknown>>(url: string) => {
  const res = await get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res.json<T>();
};
const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

async function questionWithText(fragment: string) {
  const row = await demo.t.db
    .selectFrom('questions')
    .select(['id', 'reference_year', 'reference_number', 'title', 'body'])
    .where('body', 'like', `%${fragment}%`)
    .where('reference_number', 'is not', null)
    .executeTakeFirstOrThrow();
  return { ...row, reference: formatReference(row.reference_year!, row.reference_number!) };
}

test('a follow-up links to the question it cites, and the cited question lists it as "Followed up by"', async () => {
  const citing = await questionWithText('question on the trafficking of women (');
  const cited = findReferencesInText(citing.body)[0]!.reference;
  const citedTitle = (await json<{ title: string }>(`/api/v1/questions/${cited}`)).title;
  assert.equal(citedTitle, 'Trafficking of women');

  const page = (await get(`/questions/${citing.reference}`)).body;
  assert.ok(page.includes(`(<a class="govuk-link" href="/questions/${cited}">${cited}</a>)`), 'the reference in the text is a link');
  assert.match(page, /This question follows up:/);

  const citedPage = (await get(`/questions/${cited}`)).body;
  assert.match(citedPage, /Followed up by/);
  assert.ok(citedPage.includes(`href="/questions/${citing.reference}"`));

  const api = await json<{ followsUp: { reference: string; url: string }[]; followedUpBy: { reference: string }[] }>(`/api/v1/questions/${citing.reference}`);
  assert.deepEqual(api.followsUp.map((f) => f.reference), [cited]);
  assert.equal(api.followsUp[0]!.url, `http://answerable.test/questions/${cited}`);
  const citedApi = await json<{ followedUpBy: { reference: string }[] }>(`/api/v1/questions/${cited}`);
  assert.ok(citedApi.followedUpBy.some((f) => f.reference === citing.reference));
});

test('a reference in an answer links, and the cited question says which answers cite it', async () => {
  const row = await demo.t.db
    .selectFrom('answer_versions')
    .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
    .select(['questions.reference_year', 'questions.reference_number', 'answer_versions.body'])
    .where('answer_versions.body', 'like', 'As I said in my answer to question %')
    .executeTakeFirstOrThrow();
  const answering = formatReference(row.reference_year!, row.reference_number!);
  const cited = findReferencesInText(row.body)[0]!.reference;
  const page = (await get(`/questions/${answering}`)).body;
  assert.ok(page.includes(`question <a class="govuk-link" href="/questions/${cited}">${cited}</a>`));
  const citedApi = await json<{ citedInAnswersTo: { reference: string }[] }>(`/api/v1/questions/${cited}`);
  assert.deepEqual(citedApi.citedInAnswersTo.map((c) => c.reference), [answering]);
});

test('a question page has its timeline, deadline verdict, related questions and a "Cite this" box', async () => {
  const q = await questionWithText('question on the trafficking of women (');
  const api = await json<{
    timeline: { event: string; on: string }[];
    deadline: { dueOn: string; met: boolean | null; text: string };
    citation: string;
    url: string;
    related: unknown[];
  }>(`/api/v1/questions/${q.reference}`);
  const events = api.timeline.map((e) => e.event);
  assert.deepEqual(events.slice(0, 3), ['tabled', 'accepted', 'asked']);
  assert.ok(events.includes('answered'));
  assert.deepEqual([...api.timeline.map((e) => e.on)].sort(), api.timeline.map((e) => e.on), 'oldest first');
  assert.equal(typeof api.deadline.met, 'boolean');
  assert.match(api.deadline.text, /^Deadline (met|missed)/);
  assert.equal(api.url, `http://answerable.test/questions/${q.reference}`);
  assert.ok(api.citation.startsWith(`Question ${q.reference}, “${q.title}”, `) && api.citation.endsWith(api.url));

  const html = (await get(`/questions/${q.reference}`)).body;
  assert.match(html, /<h2 class="govuk-heading-m">Timeline<\/h2>/);
  assert.match(html, /data-testid="cite-this"/);
  assert.ok(html.includes(`<textarea class="govuk-textarea" id="citation" rows="4" readonly>${escapeHtml(api.citation)}</textarea>`));
  assert.ok(html.includes(escapeHtml(api.deadline.text)));
  assert.match(html, /href="\/groups\/[a-z0-9-]+"/, 'the asker’s party group links to its page');
  assert.match(html, /href="\/topics\/[a-z0-9-]+"/, 'topics link to their pages');
  if (api.related.length) assert.match(html, /Related questions/);
});

test('unknown and malformed references are a 404 that names the reference and offers a search', async () => {
  const res = await get('/questions/1999/9999');
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /There is no published question 1999\/9999\./);
  assert.match(res.body, /<form method="get" action="\/search"/);
  assert.match(res.body, /name="q" type="search" value="1999\/9999"/);
  const bad = await get('/questions/20x9/%3Cscript%3E');
  assert.equal(bad.statusCode, 404);
  assert.ok(!bad.body.includes('20x9/<script>'), 'the path is escaped');
  assert.match(bad.body, /value="20x9\/&lt;script&gt;"/);
  const api = await get('/api/v1/questions/1999/9999');
  assert.equal(api.statusCode, 404);
  assert.deepEqual(api.json(), { error: { code: 'not_found', message: 'There is no published question 1999/9999.' } });
  const page = await get('/no-such-page');
  assert.equal(page.statusCode, 404);
  assert.match(page.body, /action="\/search"/);
});

/** London calendar day of an instant, computed here without the app's code. */
const londonDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** Promptness from the raw record, independently of the app (the demo's overdue threshold is 0 working days). */
async function expectedPromptness(where: (q: { asker_id: number; answering_body_id: number | null; id: number }) => boolean) {
  const today = londonDay(FIXED_NOW);
  const questions = await demo.t.db
    .selectFrom('questions')
    .select(['id', 'state', 'due_on', 'asker_id', 'answering_body_id', 'question_type'])
    .where('state', 'in', ['accepted', 'withdrawn'])
    .where('reference_number', 'is not', null)
    .where('question_type', '<>', 'supplementary')
    .execute();
  const versions = await demo.t.db.selectFrom('answer_versions').select(['question_id', 'kind', 'published_at']).execute();
  const mine = questions.filter(where);
  const e = { total: mine.length, answeredOnTime: 0, answeredLate: 0, overdueNow: 0, holdingAnswersStanding: 0, withdrawn: 0 };
  for (const q of mine) {
    const own = versions.filter((v) => v.question_id === q.id);
    const substantive = own.filter((v) => v.kind !== 'holding').map((v) => londonDay(v.published_at)).sort()[0];
    if (q.state === 'withdrawn') e.withdrawn += 1;
    else if (substantive) {
      if (q.due_on !== null) {
        if (substantive <= q.due_on) e.answeredOnTime += 1;
        else e.answeredLate += 1;
      }
    } else {
      if (own.some((v) => v.kind === 'holding')) e.holdingAnswersStanding += 1;
      if (q.due_on !== null && q.due_on < today) e.overdueNow += 1;
    }
  }
  return e;
}

const pick = (p: Record<string, unknown>) => ({
  total: p.total,
  answeredOnTime: p.answeredOnTime,
  answeredLate: p.answeredLate,
  overdueNow: p.overdueNow,
  holdingAnswersStanding: p.holdingAnswersStanding,
  withdrawn: p.withdrawn,
});

test('a member page: terms, chart with its table, promptness matching the raw record, links to search and feed', async () => {
  const person = await demo.t.db.selectFrom('people').select(['id']).where('slug', '=', 'owen-pritchard').executeTakeFirstOrThrow();
  const html = (await get('/members/owen-pritchard')).body;
  assert.match(html, /data-testid="by-year-chart"/);
  assert.match(html, /<caption class="govuk-table__caption govuk-table__caption--s">Questions by year<\/caption>/);
  assert.match(html, /href="\/search\?member=owen-pritchard"/);
  assert.match(html, /href="\/feeds\/members\/owen-pritchard.atom"/);
  assert.match(html, /href="\/groups\/[a-z0-9-]+">Member, /);
  // The storyline's release is by Hannah Okoye; a member with none has no press release section.
  assert.doesNotMatch(html, /id="press-releases"/);
  const author = (await get('/members/hannah-okoye')).body;
  assert.match(author, /<h2 class="govuk-heading-m" id="press-releases">Press releases<\/h2>/);
  assert.match(author, /href="\/press-releases\/[a-z0-9-]+"/);
  const api = await json<{ promptness: Record<string, unknown>; questionsByYear: { year: number; count: number }[]; memberships: unknown[]; links: Record<string, string> }>(
    '/api/v1/members/owen-pritchard',
  );
  assert.deepEqual(pick(api.promptness), await expectedPromptness((q) => q.asker_id === person.id));
  assert.equal(api.questionsByYear.reduce((n, y) => n + y.count, 0), api.promptness.total);
  assert.equal(api.links.feed, 'http://answerable.test/feeds/members/owen-pritchard.atom');
});

test('an answering body page counts questions it has answered, with promptness matching the raw record', async () => {
  const bodies = await json<{ items: { slug: string; apiUrl: string }[]; links: { next: string | null } }>('/api/v1/bodies');
  assert.ok(bodies.items.length > 0);
  assert.equal(bodies.links.next, null);
  const body = bodies.items[0]!;
  const org = await demo.t.db.selectFrom('organisations').select('id').where('slug', '=', body.slug).executeTakeFirstOrThrow();
  const answered = new Set((await demo.t.db.selectFrom('answer_versions').select('question_id').execute()).map((v) => v.question_id));
  const api = await json<{ promptness: Record<string, unknown> }>(`/api/v1/bodies/${body.slug}`);
  assert.deepEqual(pick(api.promptness), await expectedPromptness((q) => q.answering_body_id === org.id && answered.has(q.id)));
  const html = (await get(`/bodies/${body.slug}`)).body;
  assert.match(html, new RegExp(`href="/search\\?body=${body.slug}"`));
  assert.match(html, new RegExp(`href="/feeds/bodies/${body.slug}.atom"`));
  assert.match((await get('/bodies')).body, new RegExp(`href="/bodies/${body.slug}"`));
});

test('party group and topic pages and their JSON twins', async () => {
  const groups = await json<{ items: { slug: string; currentMembers: number }[] }>('/api/v1/groups');
  assert.ok(groups.items.some((g) => g.currentMembers > 0));
  const group = groups.items.find((g) => g.currentMembers > 0)!;
  const g = await json<{ memberships: { member: { slug: string } }[]; promptness: { total: number }; links: Record<string, string> }>(`/api/v1/groups/${group.slug}`);
  assert.ok(g.memberships.length > 0);
  assert.equal(g.links.search, `http://answerable.test/search?group=${group.slug}`);
  const groupPage = (await get(`/groups/${group.slug}`)).body;
  assert.match(groupPage, /data-testid="terms"/);
  assert.match(groupPage, new RegExp(`href="/feeds/groups/${group.slug}.atom"`));
  assert.match((await get('/groups')).body, new RegExp(`href="/groups/${group.slug}"`));

  const topics = await json<{ items: { slug: string; questions: number }[] }>('/api/v1/topics');
  const topic = topics.items.find((t) => t.questions > 0)!;
  const t = await json<{ promptness: { total: number }; questions: unknown[] }>(`/api/v1/topics/${topic.slug}`);
  assert.equal(t.promptness.total, topic.questions);
  assert.ok(t.questions.length > 0);
  const topicPage = (await get(`/topics/${topic.slug}`)).body;
  assert.match(topicPage, /data-testid="by-year-table"/);
  assert.match(topicPage, new RegExp(`href="/search\\?topic=${topic.slug}"`));
  const topicList = await get('/topics');
  assert.equal(topicList.statusCode, 200);
  assert.match(topicList.body, new RegExp(`href="/topics/${topic.slug}"`));
});

test('lists page with links.next; bad paging is a 400; unknown slugs are a 404 with a search box', async () => {
  const members = await json<{ items: { slug: string; url: string }[]; links: { next: string | null; self: string } }>('/api/v1/members');
  assert.ok(members.items.length > 0);
  assert.equal(members.links.self, 'http://answerable.test/api/v1/members?page=1');
  assert.ok(members.items[0]!.url.startsWith('http://answerable.test/members/'));
  const beyond = await json<{ items: unknown[]; links: { next: string | null } }>('/api/v1/members?page=500');
  assert.deepEqual(beyond.items, []);
  assert.equal(beyond.links.next, null);
  for (const path of ['/api/v1/members', '/api/v1/groups', '/api/v1/bodies', '/api/v1/topics']) {
    for (const page of ['abc', '0', '-1', '1.5', '99999999']) {
      const res = await get(`${path}?page=${page}`);
      assert.equal(res.statusCode, 400, `${path}?page=${page}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'validation_failed');
    }
  }
  for (const base of ['members', 'groups', 'bodies', 'topics']) {
    for (const slug of ['no-such-slug', '%3Cscript%3Ealert(1)%3C%2Fscript%3E']) {
      const res = await get(`/${base}/${slug}`);
      assert.equal(res.statusCode, 404, `/${base}/${slug}`);
      assert.match(res.body, /action="\/search"/);
      assert.doesNotMatch(res.body, /<script>alert/);
      const api = await get(`/api/v1/${base}/${slug}`);
      assert.equal(api.statusCode, 404);
      assert.equal(api.json<{ error: { code: string } }>().error.code, 'not_found');
    }
  }
});

test('home, about and accessibility pages', async () => {
  const home = (await get('/')).body;
  assert.match(home, /<form method="get" action="\/search" role="search"/);
  assert.match(home, /data-testid="cut-off">Questions must be tabled by /);
  const about = await get('/about');
  assert.equal(about.statusCode, 200);
  assert.match(about.body, /third working day after the day of the meeting/);
  assert.match(about.body, /Holding answer/);
  const a11y = await get('/accessibility');
  assert.equal(a11y.statusCode, 200);
  assert.match(a11y.body, /Web Content Accessibility Guidelines version 2.2/);
  assert.match(a11y.body, /Enforcement procedure/);
  assert.match(home, /href="\/accessibility">Accessibility statement/);
});
