// Meeting pages: the list of meetings, and one meeting with its papers, oral exchanges, written questions and a summary.
import type { FastifyInstance } from 'fastify';
import { formatLongDate } from '../calendar/london-time.ts';
import { presentQuestionSummary } from '../questions/question.presenter.ts';
import { presentMeeting } from './meeting.presenter.ts';
import { listMeetings } from './meeting.queries.ts';
import { presentMeetingRecord, presentPaperMeeting, summariseMeeting } from './papers.ts';
import { meetingRecord } from './papers.queries.ts';
import { meetingPaperRoutes } from './papers.routes.ts';

export { summariseMeeting };

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

  app.get<{ Params: { slug: string } }>('/meetings/:slug', async (request, reply) => {
    const record = await meetingRecord(app.ctx.db, request.params.slug, app.now(), today());
    return reply.render('meetings/views/meeting.njk', {
      site: await app.site(),
      section: 'meetings',
      title: `${record.meeting.title}, ${formatLongDate(record.meeting.meetsOn)}`,
      meeting: presentPaperMeeting(record, ''),
      held: record.held,
      cutoffAt: record.meeting.tablingCutoffAt,
      mayorsReportDueOn: record.meeting.type === 'mqt' && !record.held && !record.papers.mayorsReport ? record.meeting.mayorsReportDueOn : null,
      ...presentMeetingRecord(record, '', (q) => presentQuestionSummary(q, '')),
    });
  });

  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug', async (request) => {
    const record = await meetingRecord(app.ctx.db, request.params.slug, app.now(), today());
    const url = app.ctx.config.publicUrl;
    return {
      ...presentPaperMeeting(record, url),
      tablingCutoffAt: record.meeting.tablingCutoffAt.toISOString(),
      mayorsReportDueOn: record.meeting.mayorsReportDueOn,
      ...presentMeetingRecord(record, url, (q) => presentQuestionSummary(q, url)),
    };
  });

  await meetingPaperRoutes(app);
}
