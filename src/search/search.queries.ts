// Faceted full-text search over the public record, from the narrow question_search table (0005_search.sql).
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { addDays } from '../calendar/iso-date.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { latenessRules, publicQuestions, selectSummary, toSummary, type LatenessRules, type QuestionSummary } from '../questions/question.queries.ts';
import { publicStatusLabel } from '../questions/public-status.ts';
import { MAX_PAGE, MAX_RESULTS_SHOWN, RANKED_CANDIDATES, SEARCH_STATUSES, type SearchQuery, type SearchStatus } from './search-query.ts';
import { splitHighlights, START_MARK, STOP_MARK, type SnippetSegment } from './snippet.ts';

export const FACET_NAMES = ['member', 'group', 'body', 'meeting', 'type', 'status', 'year', 'topic'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export interface FacetValue {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}
export type SearchItem = QuestionSummary & { snippet: SnippetSegment[] };
export interface SearchResult {
  items: SearchItem[];
  total: number;
  totalIsEstimate: boolean;
  facets: Record<FacetName, FacetValue[]>;
  page: number;
  pageCount: number;
}

interface Resolved {
  memberIds: number[];
  groupIds: number[];
  bodyId: number | undefined;
  meetingId: number | undefined;
  topicId: number | undefined;
  overdueOnOrBefore: string;
  veryOverdueOnOrBefore: string;
}

type SearchBase = SelectQueryBuilder<Database, 'question_search', object>;

/**
 * The latest due day that is past a threshold of n working days today: an unanswered question due on or before
 * it is in that band (the same rule as lateness() in questions/deadline.ts, turned into a date to compare with).
 */
export function overdueCutoff(today: string, n: number): string {
  let day = addDays(today, -1);
  while (addWorkingDays(day, n) >= today) day = addDays(day, -1);
  return day;
}

async function idsBySlug(db: Db, table: 'people' | 'organisations' | 'meetings' | 'topics', slugs: readonly string[], extra?: 'party_group' | 'body') {
  if (slugs.length === 0) return new Map<string, number>();
  let query = db.selectFrom(table).select(['id', 'slug']).where('slug', 'in', slugs);
  if (table === 'organisations' && extra === 'party_group') query = query.where(sql<boolean>`classification = 'party_group'`);
  if (table === 'organisations' && extra === 'body') query = query.where(sql<boolean>`classification <> 'party_group'`);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Slugs to ids; an unknown one is a 400 naming it, since a silent empty result would hide a typing mistake. */
async function resolve(db: Db, query: SearchQuery, today: string, rules: LatenessRules): Promise<Resolved> {
  const problems: Record<string, string> = {};
  const lookup = async (field: string, what: string, table: 'people' | 'organisations' | 'meetings' | 'topics', slugs: string[], extra?: 'party_group' | 'body') => {
    const found = await idsBySlug(db, table, slugs, extra);
    const missing = slugs.filter((s) => !found.has(s));
    if (missing.length > 0) problems[field] = `There is no ${what} “${missing.join('”, “')}”`;
    return slugs.map((s) => found.get(s)).filter((id): id is number => id !== undefined);
  };
  const memberIds = await lookup('member', 'member', 'people', query.member);
  const groupIds = await lookup('group', 'party group', 'organisations', query.group, 'party_group');
  const [bodyId] = await lookup('body', 'answering body', 'organisations', query.body ? [query.body] : [], 'body');
  const [meetingId] = await lookup('meeting', 'meeting', 'meetings', query.meeting ? [query.meeting] : []);
  const [topicId] = await lookup('topic', 'topic', 'topics', query.topic ? [query.topic] : []);
  if (Object.keys(problems).length > 0) {
    throw new AppError('validation_failed', `The address has a problem. ${Object.values(problems).join('; ')}`, { fields: problems });
  }
  return {
    memberIds,
    groupIds,
    bodyId,
    meetingId,
    topicId,
    overdueOnOrBefore: overdueCutoff(today, rules.overdueAfterWorkingDays),
    veryOverdueOnOrBefore: overdueCutoff(today, rules.veryOverdueAfterWorkingDays),
  };
}

const tsquery = (q: string) => sql`websearch_to_tsquery('english', ${q})`;

function statusCondition(status: SearchStatus, r: Resolved): RawBuilder<boolean> {
  const unanswered = sql`question_search.state = 'accepted' AND NOT question_search.has_substantive`;
  switch (status) {
    case 'awaiting_answer':
      return sql<boolean>`(${unanswered} AND NOT question_search.has_holding)`;
    case 'holding_answer':
      return sql<boolean>`(${unanswered} AND question_search.has_holding)`;
    case 'answered':
      return sql<boolean>`(question_search.state = 'accepted' AND question_search.has_substantive)`;
    case 'withdrawn':
      return sql<boolean>`question_search.state = 'withdrawn'`;
    case 'overdue':
      return sql<boolean>`(${unanswered} AND question_search.due_on <= ${r.overdueOnOrBefore})`;
    case 'very_overdue':
      return sql<boolean>`(${unanswered} AND question_search.due_on <= ${r.veryOverdueOnOrBefore})`;
  }
}

function applyFilters<QB extends SearchBase>(qb: QB, query: SearchQuery, r: Resolved): QB {
  let out = qb as SearchBase;
  if (query.q) out = out.where(sql<boolean>`question_search.document @@ ${tsquery(query.q)}`);
  if (query.member.length > 0) out = out.where('question_search.asker_id', 'in', r.memberIds);
  if (query.group.length > 0) out = out.where('question_search.group_id', 'in', r.groupIds);
  if (r.bodyId !== undefined) out = out.where('question_search.answering_body_id', '=', r.bodyId);
  if (r.meetingId !== undefined) out = out.where('question_search.meeting_id', '=', r.meetingId);
  if (r.topicId !== undefined) out = out.where(sql<boolean>`question_search.topic_ids @> ARRAY[${r.topicId}]::integer[]`);
  if (query.type) out = out.where('question_search.question_type', '=', query.type);
  if (query.status) out = out.where(statusCondition(query.status, r));
  if (query.year !== undefined) out = out.where('question_search.reference_year', '=', query.year);
  if (query.from) out = out.where('question_search.asked_on', '>=', query.from);
  if (query.to) out = out.where('question_search.asked_on', '<=', query.to);
  return out as QB;
}

/**
 * Every public question matching the search (words and filters, no paging), as a subquery of `question_id`,
 * for streaming the same results elsewhere: `.where('questions.id', 'in', await matchingQuestionIds(...))`.
 * Unknown slugs are a 400 (AppError 'validation_failed').
 */
export async function matchingQuestionIds(db: Db, query: SearchQuery, options: { today: string }) {
  const r = await resolve(db, query, options.today, await latenessRules(db));
  return applyFilters(db.selectFrom('question_search'), query, r).select('question_search.question_id');
}

interface FacetRow {
  facet: string;
  value: string | null;
  n: number;
  /** The slug and name behind an id (members, groups, bodies, meetings, topics), joined in the same statement. */
  slug: string | null;
  name: string | null;
  day: string | null;
}

/** Past `exactUpTo` matches, counts come from a sample of 1 in 16, then 1 in 256 (by id), scaled up. */
export const EXACT_UP_TO = 10_000;
const SAMPLE_LEVELS = [1, 16, 256] as const;
/** Matches the index on (question_id % 256) in 0005_search.sql. */
const SAMPLE_MODULUS = 256;

/**
 * One pass over the matches (a materialised CTE) gives every facet's counts (grouping sets), the total, topics,
 * and the page's candidates in date order: for relevance the newest RANKED_CANDIDATES, ranked afterwards.
 */
async function scanMatches(db: Db, query: SearchQuery, r: Resolved, pageSize: number, sample: number, cap: number): Promise<FacetRow[]> {
  let filtered = applyFilters(db.selectFrom('question_search'), query, r);
  if (sample > 1) {
    const residues = Array.from({ length: SAMPLE_MODULUS / sample }, (_, i) => i * sample);
    filtered = filtered.where(sql<boolean>`question_search.question_id % ${sql.lit(SAMPLE_MODULUS)} = ANY(${sql`ARRAY[${sql.join(residues)}]::integer[]`})`);
  }
  const matches = filtered.limit(cap + 1).select([
    'question_search.question_id',
    'question_search.asked_on',
    'question_search.asker_id',
    'question_search.group_id',
    'question_search.answering_body_id',
    'question_search.meeting_id',
    'question_search.question_type',
    'question_search.reference_year',
    'question_search.topic_ids',
    sql<string>`CASE WHEN question_search.state = 'withdrawn' THEN 'withdrawn'
      WHEN question_search.has_substantive THEN 'answered'
      WHEN question_search.has_holding THEN 'holding_answer' ELSE 'awaiting_answer' END`.as('status'),
    sql<number>`CASE WHEN question_search.state = 'accepted' AND NOT question_search.has_substantive
      THEN CASE WHEN question_search.due_on <= ${r.veryOverdueOnOrBefore} THEN 2 WHEN question_search.due_on <= ${r.overdueOnOrBefore} THEN 1 ELSE 0 END
      ELSE 0 END`.as('late'),
  ]);
  const ranked = query.sort === 'relevance' && query.q !== undefined;
  const limit = ranked ? RANKED_CANDIDATES : pageSize;
  const offset = ranked ? 0 : (query.page - 1) * pageSize;
  const order = query.sort === 'oldest' ? sql`asked_on ASC, question_id ASC` : sql`asked_on DESC, question_id DESC`;
  const result = await sql<FacetRow>`
    WITH m AS MATERIALIZED (${matches}), f AS (
    SELECT CASE WHEN grouping(asker_id) = 0 THEN 'member' WHEN grouping(group_id) = 0 THEN 'group'
             WHEN grouping(answering_body_id) = 0 THEN 'body' WHEN grouping(meeting_id) = 0 THEN 'meeting'
             WHEN grouping(question_type) = 0 THEN 'type' WHEN grouping(reference_year) = 0 THEN 'year'
             WHEN grouping(status) = 0 THEN 'status' WHEN grouping(late) = 0 THEN 'late' ELSE 'total' END AS facet,
           coalesce(asker_id::text, group_id::text, answering_body_id::text, meeting_id::text, question_type,
             reference_year::text, status, late::text) AS value,
           count(*)::integer AS n
      FROM m
     GROUP BY GROUPING SETS ((asker_id), (group_id), (answering_body_id), (meeting_id), (question_type), (reference_year), (status), (late), ())
    UNION ALL
    SELECT 'topic', t.topic_id::text, count(*)::integer FROM m CROSS JOIN LATERAL unnest(m.topic_ids) AS t(topic_id) GROUP BY t.topic_id
    UNION ALL
    SELECT 'page', p.question_id::text, (row_number() OVER ())::integer
      FROM (SELECT question_id FROM m ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) AS p)
    SELECT f.facet, f.value, f.n, l.slug, l.name, l.day
      FROM f LEFT JOIN LATERAL (
        SELECT slug, name, NULL::text AS day FROM people WHERE id = CASE WHEN f.facet = 'member' THEN f.value::integer END
        UNION ALL SELECT slug, name, NULL FROM organisations WHERE id = CASE WHEN f.facet IN ('group', 'body') THEN f.value::integer END
        UNION ALL SELECT slug, title, meets_on::text FROM meetings WHERE id = CASE WHEN f.facet = 'meeting' THEN f.value::integer END
        UNION ALL SELECT slug, name, NULL FROM topics WHERE id = CASE WHEN f.facet = 'topic' THEN f.value::integer END
      ) AS l ON true`.execute(db);
  return result.rows;
}

/** The ids of one page: in date order as scanned, or the candidates ranked by relevance (bounded work). */
async function pageIds(db: Db, query: SearchQuery, rows: FacetRow[], pageSize: number): Promise<number[]> {
  const candidates = rows.filter((row) => row.facet === 'page').sort((a, b) => a.n - b.n).map((row) => Number(row.value));
  if (!(query.sort === 'relevance' && query.q) || candidates.length === 0) return candidates;
  const ranked = await db
    .selectFrom('question_search')
    .select('question_search.question_id')
    .where(sql<boolean>`question_search.question_id = ANY(${sql`ARRAY[${sql.join(candidates)}]::integer[]`})`)
    .orderBy(sql`ts_rank_cd(question_search.document, ${tsquery(query.q)})`, 'desc')
    .orderBy('question_search.asked_on', 'desc')
    .orderBy('question_search.question_id', 'desc')
    .limit(pageSize)
    .offset((query.page - 1) * pageSize)
    .execute();
  return ranked.map((row) => row.question_id);
}

/** The summaries of one page with a short extract of each question's text and answers, matched words marked. */
async function summariesWithSnippets(db: Db, ids: number[], q: string | undefined) {
  if (ids.length === 0) return [];
  const answers = sql<string>`coalesce((SELECT string_agg(a.body, ' ' ORDER BY a.version DESC) FROM answer_versions a WHERE a.question_id = questions.id), '')`;
  const options = `StartSel="${START_MARK}", StopSel="${STOP_MARK}", MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
  const rows = await selectSummary(publicQuestions(db))
    .select(q ? sql<string>`ts_headline('english', questions.body || ' ' || ${answers}, ${tsquery(q)}, ${options})`.as('marked') : sql<string>`left(questions.body, 400)`.as('marked'))
    .where('questions.id', 'in', ids)
    .execute();
  return rows.map((row) => ({ row, snippet: q ? splitHighlights(row.marked) : splitHighlights(openingWords(row.marked, 200)) }));
}

function openingWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

const STATUS_FACET_LABELS: Record<SearchStatus, string> = {
  awaiting_answer: publicStatusLabel('awaiting_answer'),
  holding_answer: publicStatusLabel('holding_answer'),
  answered: publicStatusLabel('answered'),
  withdrawn: publicStatusLabel('withdrawn'),
  overdue: 'Overdue (no answer yet)',
  very_overdue: 'Very overdue (no answer yet)',
};

function labelFacets(rows: FacetRow[], query: SearchQuery): Record<FacetName, FacetValue[]> {
  const byFacet = (name: string) => rows.filter((row) => row.facet === name && row.value !== null) as (FacetRow & { value: string })[];
  const labelled = (name: string) =>
    byFacet(name).flatMap((row) => (row.slug !== null && row.name !== null ? [{ id: Number(row.value), slug: row.slug, name: row.name, day: row.day }] : []));
  const people = labelled('member');
  const orgs = [...labelled('group'), ...labelled('body')];
  const topics = labelled('topic');
  const meetings = labelled('meeting').map((m) => ({ ...m, title: m.name, meets_on: m.day ?? '' }));

  const named = (name: string, list: { id: number; slug: string; name: string }[], selected: (slug: string) => boolean) => {
    const found = new Map(list.map((x) => [x.id, x]));
    return byFacet(name)
      .flatMap((row) => {
        const x = found.get(Number(row.value));
        return x ? [{ value: x.slug, label: x.name, count: row.n, selected: selected(x.slug) }] : [];
      })
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  };
  const late = (band: number) => byFacet('late').filter((row) => Number(row.value) >= band).reduce((sum, row) => sum + row.n, 0);
  const statusCounts: Record<SearchStatus, number> = {
    awaiting_answer: 0,
    holding_answer: 0,
    answered: 0,
    withdrawn: 0,
    overdue: late(1),
    very_overdue: late(2),
  };
  for (const row of byFacet('status')) statusCounts[row.value as SearchStatus] = row.n;
  const meetingById = new Map(meetings.map((m) => [m.id, m]));

  return {
    member: named('member', people, (s) => query.member.includes(s)),
    group: named('group', orgs, (s) => query.group.includes(s)),
    body: named('body', orgs, (s) => query.body === s),
    topic: named('topic', topics, (s) => query.topic === s),
    meeting: byFacet('meeting')
      .flatMap((row) => {
        const m = meetingById.get(Number(row.value));
        return m ? [{ value: m.slug, label: m.title, count: row.n, selected: query.meeting === m.slug, date: m.meets_on }] : [];
      })
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
      .map(({ date: _date, ...rest }) => rest),
    type: byFacet('type')
      .map((row) => ({ value: row.value, label: row.value === 'oral' ? 'Oral' : 'Written', count: row.n, selected: query.type === row.value }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    status: SEARCH_STATUSES.filter((s) => statusCounts[s] > 0 || query.status === s).map((s) => ({
      value: s,
      label: STATUS_FACET_LABELS[s],
      count: statusCounts[s],
      selected: query.status === s,
    })),
    year: byFacet('year')
      .map((row) => ({ value: row.value, label: row.value, count: row.n, selected: String(query.year) === row.value }))
      .sort((a, b) => Number(b.value) - Number(a.value)),
  };
}

/** One page of results with snippets, the total and every facet's counts under the current search. */
export interface SearchOptions {
  today: string;
  pageSize?: number;
  /** Totals and facet counts are exact up to this many matches (EXACT_UP_TO), estimated from a sample beyond. */
  exactUpTo?: number;
}

export async function searchQuestions(db: Db, query: SearchQuery, options: SearchOptions): Promise<SearchResult> {
  if (!query.q) return searchWith(db, query, options);
  // With words, the full-text index is always the way in: a sequential scan (or a walk of the date index)
  // would test every row's words, which the planner underestimates; so both are switched off for this search.
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(trx);
    return searchWith(trx, query, options);
  });
}

async function searchWith(db: Db, query: SearchQuery, options: SearchOptions): Promise<SearchResult> {
  const pageSize = options.pageSize ?? 20;
  const exactUpTo = options.exactUpTo ?? EXACT_UP_TO;
  const rules = await latenessRules(db);
  const r = await resolve(db, query, options.today, rules);
  // Count exactly up to exactUpTo matches; past that, scan ever smaller samples, so the work stays bounded.
  let sample = 1;
  let scanned: FacetRow[] = [];
  for (const level of SAMPLE_LEVELS) {
    sample = level;
    scanned = await scanMatches(db, query, r, pageSize, level, exactUpTo);
    if ((scanned.find((row) => row.facet === 'total')?.n ?? 0) <= exactUpTo) break;
  }
  const facetRows = scanned.map((row) => (row.facet === 'page' ? row : { ...row, n: row.n * sample }));
  const total = facetRows.find((row) => row.facet === 'total')?.n ?? 0;
  const ranked = query.sort === 'relevance' && query.q !== undefined;
  let ids: number[];
  if (total === 0) ids = [];
  else if (sample === 1 || ranked) ids = await pageIds(db, query, facetRows, pageSize);
  else ids = await exactDatePage(db, query, r, pageSize);
  const found = await summariesWithSnippets(db, ids, query.q);
  const byId = new Map(found.map(({ row, snippet }) => [row.id, { ...toSummary(row, options.today, rules), snippet }]));
  const items = ids.flatMap((id) => byId.get(id) ?? []);
  const shown = ranked ? facetRows.filter((row) => row.facet === 'page').length : Math.min(total, MAX_RESULTS_SHOWN);
  return {
    items,
    total,
    totalIsEstimate: sample > 1,
    facets: labelFacets(facetRows, query),
    page: query.page,
    pageCount: Math.min(MAX_PAGE, Math.ceil(shown / pageSize)),
  };
}

/** A page in date order when the counts were sampled: the date index walked with the filters, as many rows as the page needs. */
async function exactDatePage(db: Db, query: SearchQuery, r: Resolved, pageSize: number): Promise<number[]> {
  if (query.q) await sql`SELECT set_config('enable_indexscan', 'on', true)`.execute(db);
  const direction = query.sort === 'oldest' ? 'asc' : 'desc';
  const rows = await applyFilters(db.selectFrom('question_search'), query, r)
    .select('question_search.question_id')
    .orderBy('question_search.asked_on', direction)
    .orderBy('question_search.question_id', direction)
    .limit(pageSize)
    .offset((query.page - 1) * pageSize)
    .execute();
  return rows.map((row) => row.question_id);
}
