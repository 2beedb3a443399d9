// The home page: the next meeting and its cut-off, the latest answers, and how many answers are overdue.
import type { FastifyInstance } from 'fastify';
import { presentMeeting } from '../meetings/meeting.presenter.ts';
import { nextMeeting } from '../meetings/meeting.queries.ts';
import { countOverdue, countPublicQuestions, latenessRules, latestAnswered, toSummary } from '../questions/question.queries.ts';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => {
    const now = app.now();
    const today = app.today();
    const [site, next, overdue, total, rules, latest] = await Promise.all([
      app.site(),
      nextMeeting(app.ctx.db, now),
      countOverdue(app.ctx.db, today),
      countPublicQuestions(app.ctx.db),
      latenessRules(app.ctx.db),
      latestAnswered(app.ctx.db, 10),
    ]);
    return reply.render('home/views/home.njk', {
      site,
      section: 'home',
      title: 'Home',
      feedUrl: '/feeds/answers.atom',
      next: next ? presentMeeting(next, app.ctx.config.publicUrl) : null,
      overdue,
      total,
      latest: latest.map((row) => ({ ...toSummary(row, today, rules), answerPublishedAt: row.answer_published_at })),
    });
  });
}
