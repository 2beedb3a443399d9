// The Atom feeds and the sitemap over the demo record: well-formed XML, entry counts equal to what the database says,
// hostile text escaped so a reader shows it as typed, the links pages put in their heads, and 404s for unknown slugs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { FEED_SIZE } from './feed.queries.ts';
import { childText, elements, parseXml, type XmlElement } from './xml-check.ts';

let demo: DemoApp;
const PUBLIC = `q.state in ('accepted', 'withdrawn') and q.question_type <> 'supplementary' and q.reference_number is not null`;

before(async () => {
  demo = await createDemoApp();
});
after(async () => demo.close());

async function feed(url: string): Promise<{ root: XmlElement; entries: XmlElement[]; body: string }> {
  const res = await demo.app.inject({ url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
  assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const root = parseXml(res.body);
  assert.equal(root.name, 'feed');
  assert.equal(root.attributes.xmlns, 'http://www.w3.org/2005/Atom');
  const entries = elements(root, 'entry');
  const times = entries.map((e) => Date.parse(childText(e, 'updated') ?? ''));
  assert.ok(times.every((t, i) => !Number.isNaN(t) && (i === 0 || t <= (times[i - 1] ?? t))), `${url}: entries newest first`);
  for (const e of entries) {
    assert.match(childText(e, 'title') ?? '', /^\d{4}\/\d{4,}: /, 'title is "<ref>: <title>"');
    assert.match(e.children.find((c) => c.name === 'link')?.attributes.href ?? '', /^http:\/\/answerable\.test\/questions\/\d{4}\/\d{4,}$/);
  }
  const ids = entries.map((e) => childText(e, 'id'));
  assert.equal(new Set(ids).size, ids.length, 'entry ids are unique');
  return { root, entries, body: res.body };
}

async function count(query: string): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`${sql.raw(query)}`.execute(demo.t.db);
  return Number(rows[0]?.n ?? 0);
}

const answersWhere = (condition: string) =>
  count(`select count(*) as n from answer_versions av join questions q on q.id = av.question_id where ${PUBLIC} and (${condition})`);
const unansweredWhere = (condition: string) =>
  count(`select count(*) as n from questions q where ${PUBLIC} and (${condition}) and not exists (select 1 from answer_versions av where av.question_id = q.id)`);

async function pick(query: string): Promise<{ id: number; slug: string }> {
  const { rows } = await sql<{ id: number; slug: string }>`${sql.raw(query)}`.execute(demo.t.db);
  const row = rows[0];
  assert.ok(row, `the demo has a row for: ${query}`);
  return row;
}

describe('Atom feeds', () => {
  test('new answers: one entry per published answer version, the newest first', async () => {
    const { entries } = await feed('/feeds/answers.atom');
    assert.equal(entries.length, Math.min(FEED_SIZE, await answersWhere('true')));
  });

  test('a member: their answers and unanswered questions, counted as the database counts them', async () => {
    // The member with the fewest public questions above a handful, so the count is not just the cap.
    const member = await pick(`select p.id, p.slug from people p join questions q on q.asker_id = p.id where ${PUBLIC}
      group by p.id, p.slug having count(*) between 3 and 20 order by count(*) desc, p.id limit 1`);
    const { entries } = await feed(`/feeds/members/${member.slug}.atom`);
    const expected = (await answersWhere(`q.asker_id = ${member.id}`)) + (await unansweredWhere(`q.asker_id = ${member.id}`));
    assert.ok(expected > 0);
    assert.equal(entries.length, Math.min(FEED_SIZE, expected));
    // The search feed for the same member lists the same entries.
    const search = await feed(`/feeds/search.atom?member=${member.slug}`);
    assert.deepEqual(search.entries.map((e) => childText(e, 'id')), entries.map((e) => childText(e, 'id')));
  });

  test('a party group, a topic and an answering body: their answers, counted as the database counts them', async () => {
    const group = await pick(`select id, slug from organisations where classification = 'party_group' order by id limit 1`);
    const inGroup = `exists (select 1 from memberships m join meetings mt on mt.id = q.meeting_id where m.person_id = q.asker_id
      and m.organisation_id = ${group.id} and m.role = 'member' and m.start_date <= mt.meets_on and (m.end_date is null or m.end_date >= mt.meets_on))`;
    assert.equal((await feed(`/feeds/groups/${group.slug}.atom`)).entries.length, Math.min(FEED_SIZE, await answersWhere(inGroup)));

    const topic = await pick(`select t.id, t.slug from topics t join question_topics qt on qt.topic_id = t.id group by t.id, t.slug having count(*) >= 3 order by count(*) asc, t.id limit 1`);
    const onTopic = `exists (select 1 from question_topics qt where qt.question_id = q.id and qt.topic_id = ${topic.id})`;
    const topicAnswers = await answersWhere(onTopic);
    assert.ok(topicAnswers > 0);
    assert.equal((await feed(`/feeds/topics/${topic.slug}.atom`)).entries.length, Math.min(FEED_SIZE, topicAnswers));

    const body = await pick(`select o.id, o.slug from organisations o join questions q on q.answering_body_id = o.id group by o.id, o.slug order by count(*) asc, o.id limit 1`);
    assert.equal((await feed(`/feeds/bodies/${body.slug}.atom`)).entries.length, Math.min(FEED_SIZE, await answersWhere(`q.answering_body_id = ${body.id}`)));
  });

  test('a search feed follows the search: words and filters', async () => {
    const { entries, root } = await feed('/feeds/search.atom?q=police&type=written');
    assert.ok(entries.length > 0);
    assert.match(childText(root, 'title') ?? '', /police/);
    const self = root.children.find((c) => c.name === 'link' && c.attributes.rel === 'self');
    assert.equal(self?.attributes.href, 'http://answerable.test/feeds/search.atom?q=police&type=written');
    const alternate = root.children.find((c) => c.name === 'link' && c.attributes.rel === 'alternate');
    assert.match(alternate?.attributes.href ?? '', /\/search\?q=police/);
  });

  test('a reader polling with the ETag gets a 304 until something changes', async () => {
    const first = await demo.app.inject({ url: '/feeds/answers.atom' });
    const etag = String(first.headers.etag);
    const again = await demo.app.inject({ url: '/feeds/answers.atom', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('entry links lead to the question pages', async () => {
    const { entries } = await feed('/feeds/answers.atom');
    for (const e of entries.slice(0, 3)) {
      const href = e.children.find((c) => c.name === 'link')?.attributes.href ?? '';
      assert.equal((await demo.app.inject({ url: href.replace('http://answerable.test', '') })).statusCode, 200, href);
    }
  });

  test('hostile text in a question is escaped: a reader shows it as typed, and the XML stays well-formed', async () => {
    const hostile = `<script>alert("x")</script> & ]]> <b>bold</b> \u0001 end`;
    const member = await pick(`select p.id, p.slug from people p join questions q on q.asker_id = p.id where ${PUBLIC} group by p.id, p.slug order by p.id limit 1`);
    const question = await pick(`select q.id, q.title as slug from questions q where ${PUBLIC} and q.asker_id = ${member.id} order by q.id desc limit 1`);
    await demo.t.db.updateTable('questions').set({ title: hostile, body: hostile }).where('id', '=', question.id).execute();
    const { body, entries } = await feed(`/feeds/members/${member.slug}.atom`);
    assert.doesNotMatch(body, /<script>/, 'no live markup anywhere in the document');
    const titles = entries.map((e) => childText(e, 'title') ?? '');
    const mine = titles.find((t) => t.includes('alert'));
    assert.ok(mine, 'the entry is in the feed');
    // type="html": the decoded title is HTML whose text is exactly what was typed (the control character aside).
    assert.match(mine, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; \]\]&gt; &lt;b&gt;bold&lt;\/b&gt;/);
    await demo.t.db.updateTable('questions').set({ title: question.slug }).where('id', '=', question.id).execute();
  });

  test('unknown or malformed slugs are 404s; a bad search is a 400', async () => {
    for (const url of [
      '/feeds/members/no-such-member.atom',
      '/feeds/groups/no-such-group.atom',
      '/feeds/topics/no-such-topic.atom',
      '/feeds/bodies/no-such-body.atom',
      '/feeds/members/Bad%20Slug.atom',
      '/feeds/members/%3Cscript%3E.atom',
      '/feeds/groups/wexbridge-police.atom', // a body is not a party group
      '/feeds/members/no-suffix',
      '/feeds/nothing.atom',
    ]) {
      const res = await demo.app.inject({ url });
      assert.equal(res.statusCode, 404, url);
    }
    for (const url of ['/feeds/search.atom?member=no-such-member', '/feeds/search.atom?from=2026-02-30', '/feeds/search.atom?type=bogus']) {
      const res = await demo.app.inject({ url });
      assert.equal(res.statusCode, 400, url);
    }
  });

  test('record pages link their feed in the page head', async () => {
    const member = await pick(`select id, slug from people where exists (select 1 from questions q where q.asker_id = people.id and ${PUBLIC}) order by id limit 1`);
    const group = await pick(`select id, slug from organisations where classification = 'party_group' order by id limit 1`);
    const topic = await pick(`select id, slug from topics order by id limit 1`);
    const body = await pick(`select id, slug from organisations where classification = 'functional_body' order by id limit 1`);
    for (const [page, feedPath] of [
      [`/members/${member.slug}`, `/feeds/members/${member.slug}.atom`],
      [`/groups/${group.slug}`, `/feeds/groups/${group.slug}.atom`],
      [`/topics/${topic.slug}`, `/feeds/topics/${topic.slug}.atom`],
      [`/bodies/${body.slug}`, `/feeds/bodies/${body.slug}.atom`],
    ] as const) {
      const html = (await demo.app.inject({ url: page })).body;
      const head = html.slice(0, html.indexOf('</head>'));
      assert.match(head, new RegExp(`<link rel="alternate" type="application/atom\\+xml" href="${feedPath.replace(/[.]/g, '\\.')}"`), page);
      assert.equal((await demo.app.inject({ url: feedPath })).statusCode, 200, feedPath);
    }
  });
});

describe('the sitemap', () => {
  test('an index of well-formed sitemaps covering every public question and the record pages', async () => {
    const index = await demo.app.inject({ url: '/sitemap.xml' });
    assert.equal(index.statusCode, 200);
    assert.match(String(index.headers['content-type']), /^application\/xml/);
    const locs = elements(parseXml(index.body), 'loc').map((l) => l.text.replace('http://answerable.test', ''));
    assert.deepEqual(locs, ['/sitemaps/pages.xml', '/sitemaps/questions-1.xml']);

    const pages = elements(parseXml((await demo.app.inject({ url: '/sitemaps/pages.xml' })).body), 'loc').map((l) => l.text);
    const meetings = await count('select count(*) as n from meetings');
    assert.equal(pages.filter((p) => p.includes('/meetings/')).length, meetings);
    assert.ok(pages.some((p) => /\/members\/[a-z-]+$/.test(p)));
    assert.ok(pages.some((p) => /\/groups\/[a-z-]+$/.test(p)));
    assert.ok(pages.some((p) => /\/topics\/[a-z-]+$/.test(p)));
    assert.ok(pages.some((p) => /\/bodies\/[a-z-]+$/.test(p)));
    // Every page listed answers: the fixed pages, and the first of each kind.
    const firsts = new Map<string, string>();
    for (const path of pages.map((p) => p.replace('http://answerable.test', ''))) {
      const parts = path.split('/');
      const kind = parts.length > 2 ? `${parts[1] ?? ''}/*` : path;
      if (!firsts.has(kind)) firsts.set(kind, path);
    }
    assert.ok(firsts.size >= 15, `${firsts.size} kinds of page`);
    for (const path of firsts.values()) assert.equal((await demo.app.inject({ url: path })).statusCode, 200, path);

    const questions = elements(parseXml((await demo.app.inject({ url: '/sitemaps/questions-1.xml' })).body), 'url');
    assert.equal(questions.length, await count(`select count(*) as n from questions q where ${PUBLIC}`));
    assert.equal((await demo.app.inject({ url: '/sitemaps/questions-2.xml' })).statusCode, 404);
    assert.equal((await demo.app.inject({ url: '/sitemaps/questions-0.xml' })).statusCode, 404);
  });
});

describe('the XML check itself', () => {
  test('refuses malformed documents', () => {
    for (const bad of ['<a><b></a></b>', '<a>x & y</a>', '<a>&bogus;</a>', '<a x="1" x="2"/>', '<a>\u0001</a>', '<a><![CDATA[x</a>', '<a/><b/>', '<a>']) {
      assert.throws(() => parseXml(bad), bad);
    }
    assert.equal(parseXml('<a t="&lt;">x &amp; <![CDATA[<y>]]></a>').text, 'x & <y>');
  });
});
