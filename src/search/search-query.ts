// The whole search as URL parameters: parsed with zod into a SearchQuery, and turned back into parameters for links.
import { z } from 'zod';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { parseQuery, withoutControlCharacters } from '../web/validation.ts';

export const SEARCH_STATUSES = ['awaiting_answer', 'holding_answer', 'answered', 'withdrawn', 'overdue', 'very_overdue'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];
export const SEARCH_SORTS = ['relevance', 'newest', 'oldest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Results beyond this many are not shown page by page: relevance ranks at most this many candidates. */
export const MAX_RESULTS_SHOWN = 10_000;
export const MAX_PAGE = 500;
/** Relevance ranks the newest this many matches (ranking reads every candidate's words: the work is bounded). */
export const RANKED_CANDIDATES = 2_000;
const MAX_Q_LENGTH = 500;

export interface SearchQuery {
  q: string | undefined;
  member: string[];
  group: string[];
  body: string | undefined;
  meeting: string | undefined;
  type: 'written' | 'oral' | undefined;
  status: SearchStatus | undefined;
  year: number | undefined;
  topic: string | undefined;
  from: string | undefined;
  to: string | undefined;
  sort: SearchSort;
  page: number;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** A single value; when a parameter is repeated where one is expected, the first wins (as a form would send). */
const single = (v: unknown) => blank(Array.isArray(v) ? v[0] : v);
const many = (v: unknown): unknown[] => (v === undefined ? [] : (Array.isArray(v) ? (v as unknown[]) : [v]).filter((x) => blank(x) !== undefined));

const slug = (what: string) =>
  z.string().max(200, `${what} is too long`).regex(SLUG, `${what} must be a reference such as “jane-smith” (lower-case letters, digits and hyphens)`);

const isoDate = (what: string) =>
  z.preprocess(
    single,
    z
      .string()
      .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isValidIsoDate(v), `${what} must be a real date written as YYYY-MM-DD, for example 2024-03-31`)
      .optional(),
  );

const schema = z
  .object({
    // Any text is valid: control characters become spaces and overlong text is cut, never refused.
    q: z.preprocess((v) => {
      const s = single(v);
      if (s === undefined || s === null) return undefined;
      const text = withoutControlCharacters(typeof s === 'string' ? s : JSON.stringify(s)).trim().slice(0, MAX_Q_LENGTH).trim();
      return text === '' ? undefined : text;
    }, z.string().optional()),
    member: z.preprocess(many, z.array(slug('Member')).max(20, 'Choose 20 members or fewer')),
    group: z.preprocess(many, z.array(slug('Party group')).max(20, 'Choose 20 party groups or fewer')),
    body: z.preprocess(single, slug('Answering body').optional()),
    meeting: z.preprocess(single, slug('Meeting').optional()),
    type: z.preprocess(single, z.enum(['written', 'oral'], { message: 'Type must be “written” or “oral”' }).optional()),
    status: z.preprocess(single, z.enum(SEARCH_STATUSES, { message: `Status must be one of: ${SEARCH_STATUSES.join(', ')}` }).optional()),
    year: z.preprocess(
      single,
      z.coerce.number({ message: 'Year must be a year such as 2024' }).int('Year must be a year such as 2024').min(1900, 'Year must be 1900 or later').max(2200, 'Year must be 2200 or earlier').optional(),
    ),
    topic: z.preprocess(single, slug('Topic').optional()),
    from: isoDate('From date'),
    to: isoDate('To date'),
    sort: z.preprocess(single, z.enum(SEARCH_SORTS, { message: 'Sort must be relevance, newest or oldest' }).optional()),
    page: z.preprocess(
      single,
      z.coerce
        .number({ message: 'Page must be a whole number' })
        .int('Page must be a whole number')
        .min(1, 'Page must be 1 or more')
        .max(MAX_PAGE, `Page must be ${MAX_PAGE} or less: only the first ${MAX_RESULTS_SHOWN.toLocaleString('en-GB')} results are shown, so narrow the search with filters or dates`)
        .default(1),
    ),
  })
  .refine((v) => !(v.from && v.to && v.from > v.to), { message: 'The from date must be on or before the to date', path: ['from'] });

/** Parses a query string object (values may be strings or arrays); a bad value is a 400 naming the field. */
export function parseSearchQuery(input: unknown): SearchQuery {
  const v = parseQuery(schema, input);
  return {
    q: v.q,
    member: [...new Set(v.member)],
    group: [...new Set(v.group)],
    body: v.body,
    meeting: v.meeting,
    type: v.type,
    status: v.status,
    year: v.year,
    topic: v.topic,
    from: v.from,
    to: v.to,
    // Without words there is nothing to rank by, so relevance means newest first.
    sort: v.sort ?? (v.q ? 'relevance' : 'newest'),
    page: v.page,
  };
}

/** The search as URL parameters: only what differs from the defaults, so shared links stay short. */
export function searchQueryToParams(query: SearchQuery, overrides: { page?: number } = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const m of query.member) params.append('member', m);
  for (const g of query.group) params.append('group', g);
  if (query.body) params.set('body', query.body);
  if (query.meeting) params.set('meeting', query.meeting);
  if (query.type) params.set('type', query.type);
  if (query.status) params.set('status', query.status);
  if (query.year !== undefined) params.set('year', String(query.year));
  if (query.topic) params.set('topic', query.topic);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  const defaultSort = query.q ? 'relevance' : 'newest';
  if (query.sort !== defaultSort) params.set('sort', query.sort);
  const page = overrides.page ?? query.page;
  if (page > 1) params.set('page', String(page));
  return params;
}

/** True when the search narrows the record at all (words or any filter). */
export function hasFilters(query: SearchQuery): boolean {
  return searchQueryToParams({ ...query, page: 1, sort: query.q ? 'relevance' : 'newest' }).toString() !== '';
}
