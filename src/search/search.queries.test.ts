// searchQuestions against a real database with the demo record: facet counts recomputed independently (from the
// questions themselves, not question_search), web-search syntax, filters combined, paging, and the triggers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { londonDate } from '../calendar/london-time.ts';
import { AppError } from '../errors/app-error.ts';
import { membershipsOf, partyGroupOn } from '../members/member.queries.ts';
import { latenessRules, publicQuestions, selectSummary, toSummary } from '../questions/question.queries.ts';
import { createDemoApp, FIXED_NOW, type DemoApp } from '../testing/demo-app.ts';
import { parseSearchQuery, type SearchQuery } from './search-query.ts';
import { matchingQuestionIds, searchQuestions, type FacetName } from './search.queries.ts';

let demo: DemoApp;
const today = londonDate(FIXED_NOW);
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

const search = (input: Record<string, unknown>, pageSize = 20) => searchQuestions(demo.t.db, parseSearchQuery(input), { today, pageSize });

/** Every public question with what each facet counts, computed from the record without question_search. */
async function independent(q?: string) {
  const db = demo.t.db;
  const rules = await latenessRules(db);
  let base = selectSummary(publicQuestions(db)).select(['questions.answering_body_id', 'questions.asked_on as asked']);
  if (q) {
    base = base.where(
      sql<boolean>`to_tsvector('english', questions.title || ' ' || questions.body || ' ' || coalesce((SELECT string_agg(a.body, ' ') FROM answer_versions a WHERE a.question_id = questions.id), '')) @@ websearch_to_tsquery('english', ${q})`,
    );
  }
  const rows = await base.execute();
  const memberships = await membershipsOf(db, [...new Set(rows.map((r) => r.asker_id))]);
  const orgs = new Map((await db.selectFrom('organisations').select(['id', 'slug']).execute()).map((o) => [o.id, o.slug]));
  const topics = await db.selectFrom('question_topics').innerJoin('topics', 'topics.id', 'question_topics.topic_id').select(['question_id', 'topics.slug']).execute();
  return rows.map((row) => {
    const summary = toSummary(row, today, rules);
    const day = row.asked ?? row.meets_on ?? today;
    const lateness = summary.status.status === 'answered' || summary.status.status === 'withdrawn' ? null : summary.status.lateness;
    return {
      id: row.id,
      member: [summary.askerSlug],
      group: [partyGroupOn(memberships, row.asker_id, day)?.organisationSlug].filter((x): x is string => x !== undefined),
      body: row.answering_body_id === null ? [] : [orgs.get(row.answering_body_id)!],
      meeting: summary.meetingSlug === null ? [] : [summary.meetingSlug],
      type: [summary.type],
      year: [String(summary.year)],
      topic: topics.filter((t) => t.question_id === row.id).map((t) => t.slug),
      status: [summary.status.status, ...(lateness === 'overdue' || lateness === 'very_overdue' ? ['overdue'] : []), ...(lateness === 'very_overdue' ? ['very_overdue'] : [])],
    };
  });
}

function countsOf(rows: Awaited<ReturnType<typeof independent>>, facet: FacetName): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) for (const value of row[facet]) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const FACETS: FacetName[] = ['member', 'group', 'body', 'meeting', 'type', 'status', 'year', 'topic'];

for (const q of [undefined, 'police', 'transport OR housing']) {
  test(`total and every facet count equal counts computed independently (q=${q ?? 'none'})`, async () => {
    const expected = await independent(q);
    assert.ok(expected.length > 0);
    const result = await search(q ? { q } : {});
    assert.equal(result.total, expected.length);
    assert.equal(result.totalIsEstimate, false);
    for (const facet of FACETS) {
      const got = Object.fromEntries(result.facets[facet].map((f) => [f.value, f.count]));
      assert.deepEqual(got, countsOf(expected, facet), `facet ${facet}`);
    }
  });
}

test('web-search syntax: phrases, exclusion and OR', async () => {
  const ids = async (q: string) => new Set((await independent(q)).map((r) => r.id));
  const idsOf = async (q: string) => {
    const query = parseSearchQuery({ q });
    const rows = await (await matchingQuestionIds(demo.t.db, query, { today })).execute();
    return new Set(rows.map((r) => r.question_id));
  };
  const words = await idsOf('human trafficking');
  const phrase = await idsOf('"human trafficking"');
  const without = await idsOf('human trafficking -ports');
  assert.ok(phrase.size > 0 && [...phrase].every((id) => words.has(id)));
  assert.ok([...without].every((id) => words.has(id)));
  assert.deepEqual(phrase, await ids('"human trafficking"'));
  assert.deepEqual(without, await ids('human trafficking -ports'));
  const either = await idsOf('police OR transport');
  const police = await idsOf('police');
  const transport = await idsOf('transport');
  assert.deepEqual(either, new Set([...police, ...transport]));
  // Hostile or empty-meaning text is never an error.
  for (const q of ['"', '-', 'OR', '((', '!!', '<script>', "'; DROP TABLE questions; --", 'the']) await search({ q });
});

test('filters combine, and every result has every filter', async () => {
  const all = await independent();
  const sample = all.find((r) => r.group.length > 0 && r.type[0] === 'written')!;
  const query = { member: sample.member, group: sample.group, type: 'written', year: sample.year[0] };
  const result = await search(query, 100);
  const expected = all.filter((r) => r.member[0] === sample.member[0] && r.group[0] === sample.group[0] && r.type[0] === 'written' && r.year[0] === sample.year[0]);
  assert.equal(result.total, expected.length);
  assert.deepEqual(new Set(result.items.map((i) => i.id)), new Set(expected.map((r) => r.id)));
  const overdue = await search({ status: 'overdue' }, 100);
  assert.equal(overdue.total, all.filter((r) => r.status.includes('overdue')).length);
  for (const item of overdue.items) assert.ok(item.status.lateness === 'overdue' || item.status.lateness === 'very_overdue');
  const dated = await search({ from: '2009-06-01', to: '2009-06-30' }, 100);
  for (const item of dated.items) assert.ok(item.meetingDate !== null && item.meetingDate >= '2009-06-01' && item.meetingDate <= '2009-06-30');
  assert.ok(dated.total > 0);
});

test('paging walks every result once, in order', async () => {
  const first = await search({ sort: 'oldest' }, 7);
  const seen: number[] = [];
  for (let page = 1; page <= first.pageCount; page++) seen.push(...(await search({ sort: 'oldest', page: String(page) }, 7)).items.map((i) => i.id));
  assert.equal(seen.length, first.total);
  assert.equal(new Set(seen).size, first.total);
  const ranked = await search({ q: 'police', page: '2' }, 5);
  const rankedFirst = await search({ q: 'police' }, 5);
  assert.ok(ranked.items.every((i) => !rankedFirst.items.some((j) => j.id === i.id)));
  assert.ok(rankedFirst.items[0]!.snippet.some((s) => s.highlighted && /police/i.test(s.text)));
});

test('unknown facet values are a 400 naming them', async () => {
  await assert.rejects(search({ member: 'no-such-person' }), (e: unknown) => e instanceof AppError && e.status === 400 && /no-such-person/.test(e.message));
  await assert.rejects(search({ group: 'no-such-group', topic: 'nothing' }), (e: unknown) => e instanceof AppError && e.fields?.group !== undefined && e.fields.topic !== undefined);
});

test('the search table follows the record: a new answer shows at once', async () => {
  const db = demo.t.db;
  const awaiting = (await search({ status: 'awaiting_answer' }, 1)).items[0]!;
  const mayor = await db.selectFrom('people').select('id').executeTakeFirstOrThrow();
  const version = await db.selectFrom('answer_versions').select((eb) => eb.fn.max('version').as('v')).where('question_id', '=', awaiting.id).executeTakeFirst();
  await db
    .insertInto('answer_versions')
    .values({ question_id: awaiting.id, version: (version?.v ?? 0) + 1, kind: 'substantive', body: 'The quokkaphone pilot is funded.', answered_by_id: mayor.id, answered_by_label: 'Mayor', published_at: FIXED_NOW })
    .execute();
  const found = await search({ q: 'quokkaphone' });
  assert.deepEqual(found.items.map((i) => i.id), [awaiting.id]);
  assert.equal(found.items[0]!.status.status, 'answered');
  assert.deepEqual(found.facets.status.map((s) => s.value), ['answered']);
  const query: SearchQuery = parseSearchQuery({});
  const before = (await searchQuestions(db, query, { today })).total;
  assert.equal(before, (await independent()).length);
});

test('past the exact limit the total and counts are estimated from a sample, and date pages stay exact', async () => {
  const exact = await searchQuestions(demo.t.db, parseSearchQuery({}), { today, pageSize: 10 });
  const sampled = await searchQuestions(demo.t.db, parseSearchQuery({}), { today, pageSize: 10, exactUpTo: 40 });
  assert.equal(sampled.totalIsEstimate, true);
  assert.ok(Math.abs(sampled.total - exact.total) <= exact.total * 0.5, `estimate ${sampled.total} for ${exact.total}`);
  assert.ok(sampled.total % 16 === 0);
  assert.deepEqual(sampled.items.map((i) => i.id), exact.items.map((i) => i.id));
  const ranked = await searchQuestions(demo.t.db, parseSearchQuery({ q: 'the OR police OR mayor' }), { today, exactUpTo: 5 });
  assert.ok(ranked.items.length > 0 && ranked.totalIsEstimate);
});
