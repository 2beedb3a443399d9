// Press releases over HTTP: the composer's forms (errors in the GOV.UK summary, nothing saved), the writers' API with
// tokens, and the public pages, JSON and Atom feeds, which show nothing before the embargo and a tombstone after unpublishing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../calendar/iso-date.ts';
import { londonDate } from '../calendar/london-time.ts';
import { apiClient, csrfTokenIn, signedInBrowser, type TestApiClient, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { createViewEnvironment } from '../web/views.ts';
import { acceptedQuestion, createWorld, publishedAnswer, type World } from '../workflow/test-factories.ts';
import { releasesByMember, releasesCitingQuestion } from './press-release.queries.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
let later: FastifyInstance;
let clock = new Date();
let reference: string;
let questionId: number;
let memberSlug: string;
let press: TestApiClient;
let member: TestBrowser;

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, clock);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
  // The same record seen three days on: the embargo has ended by then.
  later = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => new Date(clock.getTime() + 3 * 86_400_000) });
  const q = await acceptedQuestion(t.db, w, { title: 'Night bus safety' });
  await publishedAnswer(t.db, w, q.questionId, { body: 'Night bus assaults fell by a fifth.\n\nCCTV now covers every bus.' });
  reference = q.reference;
  questionId = q.questionId;
  // The answer was published on the real clock, just now: the apps' clock moves on past it.
  clock = new Date(Date.now() + 1000);
  memberSlug = (await t.db.selectFrom('people').select('slug').where('id', '=', w.memberPersonId).executeTakeFirstOrThrow()).slug;
  press = await apiClient(app, t.db, w.actors.pressOfficer);
  member = await signedInBrowser(app, t.db, w.actors.member, clock);
});

after(async () => {
  await app.close();
  await later.close();
  await t.close();
});

const count = async () => Number((await t.db.selectFrom('press_releases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('the composer: bad input comes back in the error summary with nothing saved; search and draft notes; then save', async () => {
  const page = await member.get('/work/press-releases/new');
  assert.equal(page.statusCode, 200);
  const csrf = csrfTokenIn(page.body);
  const before_ = await count();
  const bad = await member.post('/work/press-releases/new', {
    _csrf: csrf,
    headline: 'Night buses',
    body: 'Text',
    quote1Person: 'nobody-here',
    quote1Text: 'x',
    citations: `${reference}\n1999/0001`,
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /href="#citations"/);
  assert.match(bad.body, /There is no published question 1999\/0001/);
  assert.match(bad.body, /href="#quote1Person"/);
  assert.equal(await count(), before_, 'nothing saved');

  const search = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses', body: 'x', citationSearch: 'Night bus', action: 'search' });
  assert.match(search.body, new RegExp(`name="addCitation" value="${reference}"`));
  const added = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses', body: 'x', citations: '', addCitation: reference });
  assert.match(added.body, new RegExp(`<textarea[^>]*id="citations"[^>]*>${reference}</textarea>`));
  const drafted = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses', body: 'x', citations: reference, action: 'draft-notes' });
  assert.match(drafted.body, /gave the following written answer to a question, asked in/);
  assert.equal(await count(), before_, 'searching and drafting save nothing');

  const script = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses', body: 'Text <script>alert(1)</script>', citations: reference });
  assert.equal(script.statusCode, 400);
  assert.match(script.body, /href="#body"/);
  assert.match(script.body, /The body contains a script, which is not allowed/);
  assert.doesNotMatch(script.body, /<script>alert/);
  const badLink = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses', body: 'See [this](javascript:alert(1))', citations: reference });
  assert.equal(badLink.statusCode, 400);
  assert.match(badLink.body, /links must start with https:\/\/, http:\/\/, mailto: or \//);
  assert.equal(await count(), before_, 'nothing saved');

  const saved = await member.post('/work/press-releases/new', { _csrf: csrf, headline: 'Night buses are safer', body: 'Assaults *fell*. 1 < 2 & [the answer](/questions/' + reference + ').', citations: reference });
  assert.equal(saved.statusCode, 303);
  const work = await member.get(String(saved.headers.location));
  assert.equal(work.statusCode, 200);
  assert.match(work.body, /Assaults <em>fell<\/em>\. 1 &lt; 2 &amp; <a href="\/questions\/\d{4}\/\d{4}" class="govuk-link">the answer<\/a>\./);
  assert.match(work.body, /Question From Priya Okafor/);
  // Another member's view of it: not there.
  const other = await signedInBrowser(app, t.db, w.actors.otherMember, clock);
  assert.equal((await other.get(String(saved.headers.location))).statusCode, 404);
});

test('the API: a press officer creates, updates, schedules; nothing public before the embargo; published after; unpublished leaves a tombstone', async () => {
  const refused = await press.send('POST', '/api/v1/work/press-releases', { headline: 'X', body: 'Y', author: memberSlug, citations: [{ reference, text: 'pasted answer' }] });
  assert.equal(refused.statusCode, 400);
  assert.equal((refused.json<{ error: { code: string } }>()).error.code, 'validation_failed');

  const created = await press.send('POST', '/api/v1/work/press-releases', { headline: 'Safer night buses', body: 'Good *news*.', author: memberSlug, categories: ['Transport'], citations: [{ reference }] });
  assert.equal(created.statusCode, 201, created.body);
  const release = created.json<{ id: number; slug: string; state: string; notesToEditors: string; citations: { answer: { text: string } }[] }>();
  assert.equal(release.state, 'draft');
  assert.equal(release.citations[0]?.answer.text, 'Night bus assaults fell by a fifth.\n\nCCTV now covers every bus.');
  const patched = await press.send('PATCH', `/api/v1/work/press-releases/${release.id}`, { quotes: [{ person: memberSlug, text: 'About time.' }] });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal((patched.json<{ quotes: unknown[] }>()).quotes.length, 1);
  const put = await press.send('PUT', `/api/v1/work/press-releases/${release.id}`, { headline: 'Safer night buses', body: 'Good *news*.', author: memberSlug, categories: ['Transport'], citations: [{ reference }] });
  assert.equal((put.json<{ quotes: unknown[] }>()).quotes.length, 0, 'PUT replaces');

  const past = await press.send('POST', `/api/v1/work/press-releases/${release.id}/schedule`, { embargoDate: addDays(londonDate(clock), -1), embargoTime: '09:00' });
  assert.equal(past.statusCode, 400);
  assert.match((past.json<{ error: { message: string } }>()).error.message, /must be in the future/);
  const scheduled = await press.send('POST', `/api/v1/work/press-releases/${release.id}/schedule`, { embargoDate: addDays(londonDate(clock), 1), embargoTime: '09:30' });
  assert.equal(scheduled.statusCode, 200, scheduled.body);
  assert.equal((scheduled.json<{ state: string }>()).state, 'scheduled');

  // Before the embargo: nowhere.
  assert.equal((await app.inject({ url: `/press-releases/${release.slug}` })).statusCode, 404);
  assert.equal((await app.inject({ url: `/api/v1/press-releases/${release.slug}` })).statusCode, 404);
  assert.doesNotMatch((await app.inject({ url: '/press-releases' })).body, /Safer night buses/);
  assert.doesNotMatch((await app.inject({ url: '/api/v1/press-releases' })).body, /Safer night buses/);
  assert.doesNotMatch((await app.inject({ url: '/feeds/press-releases.atom' })).body, /Safer night buses/);
  assert.doesNotMatch((await app.inject({ url: `/feeds/press-releases/members/${memberSlug}.atom` })).body, /Safer night buses/);

  // After it: everywhere, with no job having run.
  const pageLater = await later.inject({ url: `/press-releases/${release.slug}` });
  assert.equal(pageLater.statusCode, 200);
  assert.match(pageLater.body, /ENDS/);
  assert.match(pageLater.body, /href="#top">To top</);
  const feed = await later.inject({ url: `/feeds/press-releases/categories/transport.atom` });
  assert.equal(feed.statusCode, 200);
  assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
  assert.match(feed.body, /Safer night buses/);
  assert.match((await later.inject({ url: `/feeds/press-releases/members/${memberSlug}.atom` })).body, /Safer night buses/);
  const list = await later.inject({ url: `/press-releases?category=transport` });
  assert.match(list.body, /Safer night buses/);
  assert.doesNotMatch((await later.inject({ url: `/press-releases?category=uncategorised` })).body, /Safer night buses/);

  // Unpublished: a tombstone, not a 404.
  const laterPress = await apiClient(later, t.db, w.actors.pressOfficer);
  const down = await laterPress.send('POST', `/api/v1/work/press-releases/${release.id}/unpublish`, { reason: 'Figures under review' });
  assert.equal(down.statusCode, 200, down.body);
  const tomb = await later.inject({ url: `/press-releases/${release.slug}` });
  assert.equal(tomb.statusCode, 410);
  assert.match(tomb.body, /This press release has been withdrawn/);
  assert.match(tomb.body, /Figures under review/);
  assert.equal((await later.inject({ url: `/api/v1/press-releases/${release.slug}` })).statusCode, 410);
  assert.doesNotMatch((await later.inject({ url: '/feeds/press-releases.atom' })).body, /Safer night buses/);
});

test('the public JSON list pages with links.next, and filters are checked', async () => {
  for (const n of [1, 2, 3]) {
    const r = await press.send('POST', '/api/v1/work/press-releases', { headline: `Paged release ${n}`, body: 'Body.', author: memberSlug });
    const { id } = r.json<{ id: number }>();
    assert.equal((await press.send('POST', `/api/v1/work/press-releases/${id}/publish`, {})).statusCode, 200);
  }
  const first = (await app.inject({ url: `/api/v1/press-releases?member=${memberSlug}&perPage=2` })).json<{ items: { headline: string }[]; links: { next: string | null } }>();
  assert.equal(first.items.length, 2);
  assert.ok(first.links.next);
  const next = new URL(first.links.next);
  const second = (await app.inject({ url: `${next.pathname}${next.search}` })).json<{ items: { headline: string }[]; links: { next: string | null } }>();
  assert.ok(second.items.length >= 1);
  assert.equal(new Set([...first.items, ...second.items].map((i) => i.headline)).size, first.items.length + second.items.length, 'pages do not overlap');
  const bad = await app.inject({ url: '/api/v1/press-releases?from=yesterday' });
  assert.equal(bad.statusCode, 400);
  const badPage = await app.inject({ url: '/press-releases?member=<script>' });
  assert.equal(badPage.statusCode, 400);
  assert.match(badPage.body, /govuk-error-summary/);
});

test('the partials for the question and member pages list public releases only, linking to them', async () => {
  const views = createViewEnvironment();
  const r = await press.send('POST', '/api/v1/work/press-releases', { headline: 'Cited release', body: 'Body.', author: memberSlug, citations: [{ reference }] });
  const { id, slug } = r.json<{ id: number; slug: string }>();
  const citedIn = () => releasesCitingQuestion(t.db, questionId, clock);
  assert.equal((await citedIn()).some((c) => c.slug === slug), false, 'a draft is not listed');
  await press.send('POST', `/api/v1/work/press-releases/${id}/publish`, {});
  const question = views.render('press-releases/views/cited-in.njk', { citedInReleases: await citedIn() });
  assert.match(question, /Cited in press releases/);
  assert.match(question, new RegExp(`href="/press-releases/${slug}"`));
  const person = { slug: memberSlug, name: 'Priya Okafor' };
  const memberPage = views.render('press-releases/views/member-releases.njk', { memberReleases: await releasesByMember(t.db, w.memberPersonId, clock), person });
  assert.match(memberPage, new RegExp(`href="/press-releases/${slug}"`));
  assert.match(memberPage, new RegExp(`href="/feeds/press-releases/members/${memberSlug}.atom"`));
  assert.equal(views.render('press-releases/views/cited-in.njk', { citedInReleases: [] }).trim(), '', 'nothing at all when nothing cites the question');
});
