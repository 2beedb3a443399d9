// Search over the public record: /questions (and its JSON twin) until the faceted search replaces it.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { presentQuestionSummary } from '../questions/question.presenter.ts';
import { latenessRules, publicQuestions, selectSummary, textMatches, toSummary } from '../questions/question.queries.ts';
import { parseQuery, searchText } from '../web/validation.ts';

const PAGE_SIZE = 50;

const listQuery = z.object({
  q: searchText(500),
  page: z.coerce.number({ message: 'Page must be a whole number' }).int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000, 'Page is too large').default(1),
});

export async function searchRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();

  async function listQuestions(query: z.infer<typeof listQuery>) {
    const rules = await latenessRules(app.ctx.db);
    let base = publicQuestions(app.ctx.db);
    if (query.q) base = base.where(textMatches(query.q));
    const rows = await selectSummary(base)
      .orderBy('questions.reference_year', 'desc')
      .orderBy('questions.reference_number', 'desc')
      .limit(PAGE_SIZE + 1)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute();
    const day = today();
    return { items: rows.slice(0, PAGE_SIZE).map((r) => toSummary(r, day, rules)), hasNext: rows.length > PAGE_SIZE };
  }

  app.get('/questions', async (request, reply) => {
    const query = parseQuery(listQuery, request.query);
    const { items, hasNext } = await listQuestions(query);
    const qs = (page: number) => `/questions?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), page: String(page) }).toString()}`;
    return reply.render('questions/views/list.njk', {
      site: await app.site(),
      section: 'questions',
      title: query.q ? `Questions matching “${query.q}”` : 'Questions',
      query,
      items,
      previousUrl: query.page > 1 ? qs(query.page - 1) : null,
      nextUrl: hasNext ? qs(query.page + 1) : null,
    });
  });

  app.get('/api/v1/questions', async (request) => {
    const query = parseQuery(listQuery, request.query);
    const { items, hasNext } = await listQuestions(query);
    const next = new URLSearchParams({ ...(query.q ? { q: query.q } : {}), page: String(query.page + 1) });
    return {
      items: items.map((q) => presentQuestionSummary(q, app.ctx.config.publicUrl)),
      links: { next: hasNext ? `${app.ctx.config.publicUrl}/api/v1/questions?${next.toString()}` : null },
    };
  });

}
