// Public question pages and their JSON twins: one question at /questions/YYYY/NNNN (the list lives in search/).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { membershipsOf, partyGroupOn } from '../members/member.queries.ts';
import { presentQuestion, questionPath } from './question.presenter.ts';
import {
  answerVersionsOf,
  findPublicQuestion,
  followUpsOf,
  latenessRules,
  oralExchangeOf,
  statusFromRow,
  topicsOf,
} from './question.queries.ts';
import { formatReference } from './reference.ts';

const referenceParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  number: z.string().regex(/^\d{1,6}$/),
});

export async function questionRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();

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
