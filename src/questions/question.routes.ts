// Public question pages and their JSON twins: the list at /questions and one question at /questions/YYYY/NNNN.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { membershipsOf, partyGroupOn } from '../members/member.queries.ts';
import { parseQuery, searchText } from '../web/validation.ts';
import { presentQuestion, presentQuestionSummary, questionPath } from './question.presenter.ts';
import {
  answerVersionsOf,
  findPublicQuestion,
  followUpsOf,
  latenessRules,
  oralExchangeOf,
  publicQuestions,
  selectSummary,
  statusFromRow,
  textMatches,
  toSummary,
  topicsOf,
} from './question.queries.ts';
import { formatReference } from './reference.ts';

const PAGE_SIZE = 50;

const listQuery = z.object({
  q: searchText(500),
  page: z.coerce.number({ message: 'Page must be a whole number' }).int('Page must be a whole number').min(1, 'Page must be 1 or more').max(100_000, 'Page is too large').default(1),
});

const referenceParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  number: z.string().regex(/^\d{1,6}$/),
});

export async function questionRoutes(app: FastifyInstance): Promise<void> {
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

  async function loadQuestion(params: unknown) {
    const parsed = referenceParams.safeParse(params);
    if (!parsed.success) throw new AppError('not_found', 'There is no question with that reference.');
    const year = Number(parsed.data.year);
    const number = Number(parsed.data.number);
    const detail = await findPublicQuestion(app.ctx.db, year, number);
    if (!detail) throw new AppError('not_found', `There is no published question ${formatReference(year, Math.max(number, 1))}.`);
    const rules = await latenessRules(app.ctx.db);
    const status = statusFromRow(detail, today(), rules);
    if (!status) throw new AppError('not_found', 'There is no question with that reference.');
    const [versions, exchange, topics, followUps, memberships] = await Promise.all([
      answerVersionsOf(app.ctx.db, detail.id),
      oralExchangeOf(app.ctx.db, detail.id),
      topicsOf(app.ctx.db, detail.id),
      followUpsOf(app.ctx.db, detail),
      membershipsOf(app.ctx.db, [detail.asker_id]),
    ]);
    const group = partyGroupOn(memberships, detail.asker_id, detail.asked_on ?? detail.meets_on);
    const askerGroup = group ? { slug: group.organisationSlug, name: group.organisationName } : undefined;
    return { year, number, question: presentQuestion(detail, { status, versions, exchange, topics, followUps, askerGroup }, app.ctx.config.publicUrl) };
  }

  app.get('/questions/:year/:number', async (request, reply) => {
    const { year, number, question } = await loadQuestion(request.params);
    const canonical = questionPath(year, number);
    if (request.url.split('?')[0] !== canonical) return reply.redirect(canonical, 301);
    return reply.render('questions/views/question.njk', {
      site: await app.site(),
      section: 'questions',
      title: `${question.reference}: ${question.title}`,
      question,
      writtenAnswers: question.answers.filter((a) => a.delivery === 'written').reverse(),
    });
  });

  app.get('/api/v1/questions/:year/:number', async (request) => {
    const { question } = await loadQuestion(request.params);
    return question;
  });
}
