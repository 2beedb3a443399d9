// The feed of any search: the same parameters as /search (src/search parses and applies them), so a reader can
// follow exactly what the page shows: answers to matching questions, and matching questions not yet answered.
import type { FastifyInstance } from 'fastify';
import { hasFilters, parseSearchQuery, searchQueryToParams } from '../search/search-query.ts';
import { matchingQuestionIds } from '../search/search.queries.ts';
import { answerAndQuestionEntries, type FeedEntry } from './feed.queries.ts';

export async function searchFeed(app: FastifyInstance, rawQuery: unknown): Promise<{ title: string; pagePath: string; entries: () => Promise<FeedEntry[]> }> {
  const query = parseSearchQuery(rawQuery);
  // Unknown slugs throw here (before any feed is written), as they do on the search page.
  const ids = await matchingQuestionIds(app.ctx.db, query, { today: app.today() });
  const params = searchQueryToParams(query, { page: 1 }).toString();
  const filtered = hasFilters({ ...query, q: undefined }) ? ' (filtered)' : '';
  return {
    title: query.q ? `Search results for “${query.q}”${filtered}` : `Search results${filtered}`,
    pagePath: `/search${params ? `?${params}` : ''}`,
    entries: () => answerAndQuestionEntries(app.ctx.db, (eb) => eb('questions.id', 'in', ids)),
  };
}
