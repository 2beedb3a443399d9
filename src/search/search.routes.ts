// The search pages: /search (and /questions, the same page at its older address) and its JSON twin /api/v1/questions.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { presentQuestionSummary } from '../questions/question.presenter.ts';
import { hasFilters, parseSearchQuery, searchQueryToParams, type SearchQuery } from './search-query.ts';
import { FACET_NAMES, searchQuestions, type SearchResult } from './search.queries.ts';
import { facetPanel, resultHeading } from './search.view-model.ts';

const PAGE_SIZE = 20;

export async function searchRoutes(app: FastifyInstance): Promise<void> {
  const run = (query: SearchQuery) => searchQuestions(app.ctx.db, query, { today: app.today(), pageSize: PAGE_SIZE });

  async function page(rawQuery: unknown, reply: FastifyReply) {
    const query = parseSearchQuery(rawQuery);
    const result = await run(query);
    const params = (p: number) => searchQueryToParams(query, { page: p }).toString();
    const link = (p: number) => `/search${params(p) ? `?${params(p)}` : ''}`;
    const shareParams = searchQueryToParams(query, { page: 1 }).toString();
    const suffix = shareParams ? `?${shareParams}` : '';
    return reply.render('search/views/search.njk', {
      site: await app.site(),
      section: 'questions',
      title: query.q ? `Search results for “${query.q}”` : 'Search questions and answers',
      feedUrl: `/feeds/search.atom${suffix}`,
      query,
      result,
      heading: resultHeading(result),
      filtered: hasFilters(query),
      panel: facetPanel(result, query),
      pagination: paginationOf(result, link),
      links: {
        feed: `/feeds/search.atom${suffix}`,
        csv: `/downloads/questions.csv${suffix}`,
        ndjson: `/downloads/questions.ndjson${suffix}`,
        json: `/api/v1/questions${suffix}`,
      },
    });
  }

  app.get('/search', async (request, reply) => page(request.query, reply));
  // The older address keeps working, so links already shared still answer.
  app.get('/questions', async (request, reply) => page(request.query, reply));

  app.get('/api/v1/questions', async (request) => {
    const query = parseSearchQuery(request.query);
    const result = await run(query);
    const base = app.ctx.config.publicUrl;
    const at = (p: number) => {
      const params = searchQueryToParams(query, { page: p }).toString();
      return `${base}/api/v1/questions${params ? `?${params}` : ''}`;
    };
    return {
      items: result.items.map((q) => ({ ...presentQuestionSummary(q, base), snippet: q.snippet.map((s) => ({ text: s.text, highlighted: s.highlighted })) })),
      total: result.total,
      totalIsEstimate: result.totalIsEstimate,
      page: result.page,
      pageCount: result.pageCount,
      facets: Object.fromEntries(
        FACET_NAMES.map((name) => [name, result.facets[name].map((f) => ({ value: f.value, label: f.label, count: f.count, selected: f.selected }))]),
      ),
      links: {
        self: at(query.page),
        next: query.page < result.pageCount ? at(query.page + 1) : null,
        prev: query.page > 1 ? at(Math.min(query.page - 1, Math.max(1, result.pageCount))) : null,
      },
    };
  });
}

/** The GOV.UK pagination component's items: first, last, the current page and its neighbours, with ellipses. */
function paginationOf(result: SearchResult, link: (page: number) => string) {
  const { page, pageCount } = result;
  if (pageCount <= 1) return null;
  const wanted = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  let previous = 0;
  for (const p of wanted) {
    if (p - previous > 1) items.push({ ellipsis: true });
    items.push({ number: p, href: link(p), current: p === page });
    previous = p;
  }
  return {
    previous: page > 1 ? { href: link(Math.min(page - 1, pageCount)) } : undefined,
    next: page < pageCount ? { href: link(page + 1) } : undefined,
    items,
  };
}
