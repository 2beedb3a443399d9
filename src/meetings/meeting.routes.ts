// Meeting pages: the list of meetings, and one meeting with its oral exchanges, written questions and a summary.
import type { FastifyInstance } from 'fastify';
import { formatLongDate } from '../calendar/london-time.ts';
import { AppError } from '../errors/app-error.ts';
import { presentQuestionSummary } from '../questions/question.presenter.ts';
import { latenessRules, oralExchangeOf, publicQuestions, selectSummary, toSummary, type QuestionSummary } from '../questions/question.queries.ts';
import { presentMeeting } from './meeting.presenter.ts';
import { findMeetingBySlug, listMeetings, orderPaperPositions } from './meeting.queries.ts';

export function summariseMeeting(questions: readonly QuestionSummary[]) {
  const needsWrittenAnswer = questions.filter((q) => q.dueOn !== null && q.status.status !== 'withdrawn');
  return {
    asked: questions.length,
    answeredOnTime: needsWrittenAnswer.filter((q) => q.status.status === 'answered' && q.status.lateness === 'on_time').length,
    answeredLate: needsWrittenAnswer.filter((q) => q.status.status === 'answered' && q.status.lateness !== 'on_time').length,
    awaiting: needsWrittenAnswer.filter((q) => q.status.status === 'awaiting_answer' || q.status.status === 'holding_answer').length,
    answeredOrally: questions.filter((q) => q.type === 'oral' && !q.notReached && q.dueOn === null).length,
  };
}

export async function meetingRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();

  app.get('/meetings', async (_request, reply) => {
    const meetings = (await listMeetings(app.ctx.db)).map((m) => presentMeeting(m, app.ctx.config.publicUrl));
    const day = today();
    return reply.render('meetings/views/list.njk', {
      site: await app.site(),
      section: 'meetings',
      title: 'Meetings',
      upcoming: meetings.filter((m) => m.date >= day).reverse(),
      past: meetings.filter((m) => m.date < day),
    });
  });

  async function loadMeeting(slug: string) {
    const meeting = await findMeetingBySlug(app.ctx.db, slug);
    if (!meeting) throw new AppError('not_found', 'There is no meeting at that address.');
    const rules = await latenessRules(app.ctx.db);
    const rows = await selectSummary(publicQuestions(app.ctx.db).where('questions.meeting_id', '=', meeting.id))
      .orderBy('questions.reference_year')
      .orderBy('questions.reference_number')
      .execute();
    const day = today();
    const questions = rows.map((r) => toSummary(r, day, rules));
    const positions = await orderPaperPositions(app.ctx.db, meeting.id);
    const oral = questions
      .filter((q) => q.type === 'oral')
      .sort((a, b) => (positions.get(a.id) ?? Number.MAX_SAFE_INTEGER) - (positions.get(b.id) ?? Number.MAX_SAFE_INTEGER) || a.number - b.number);
    const exchanges = await Promise.all(oral.map(async (q) => ({ question: q, exchange: await oralExchangeOf(app.ctx.db, q.id) })));
    const written = questions.filter((q) => q.type === 'written');
    return { meeting, oral: exchanges, written, summary: summariseMeeting(questions) };
  }

  app.get<{ Params: { slug: string } }>('/meetings/:slug', async (request, reply) => {
    const { meeting, oral, written, summary } = await loadMeeting(request.params.slug);
    const presented = presentMeeting(meeting, app.ctx.config.publicUrl);
    return reply.render('meetings/views/meeting.njk', {
      site: await app.site(),
      section: 'meetings',
      title: `${presented.title}, ${formatLongDate(meeting.meets_on)}`,
      meeting: presented,
      oral,
      written,
      summary,
    });
  });

  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug', async (request) => {
    const { meeting, oral, written, summary } = await loadMeeting(request.params.slug);
    const url = app.ctx.config.publicUrl;
    return {
      ...presentMeeting(meeting, url),
      summary,
      oralQuestions: oral.map(({ question, exchange }) => ({
        ...presentQuestionSummary(question, url),
        transcript: exchange.turns.map((t) => ({ speaker: { slug: t.speaker_slug, name: t.speaker_name }, text: t.body })),
        supplementaries: exchange.supplementaries.map((s) => ({
          number: s.supplementary_number,
          title: s.title,
          transcript: s.turns.map((t) => ({ speaker: { slug: t.speaker_slug, name: t.speaker_name }, text: t.body })),
        })),
      })),
      writtenQuestions: written.map((q) => presentQuestionSummary(q, url)),
    };
  });
}
