// The Mayor's report: the page where the clerk (or the Mayor's office) writes, saves and publishes it; the public page (only once published); and
// the same through the API, with marking the questions asked on the report.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, type FormErrors } from '../web/forms.ts';
import { presentPublishedReport, presentReportResult } from './calendar.presenter.ts';
import { findCalendarMeeting, mayorsReportOf, publishedMayorsReport, questionsOnMayorsReport, type CalendarMeeting } from './calendar.queries.ts';
import { DEFAULT_REPORT_TITLE, markQuestionOnMayorsReport, saveMayorsReport } from './report.commands.ts';
import type { MayorsReportInput, ReportQuestionInput } from './report.commands.ts';

function asInput<S extends z.ZodType>(value: Record<string, unknown>): z.input<S> {
  return value as z.input<S>;
}

export async function mayorsReportRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const clerkOnly = { preHandler: requireRole('clerk') };
  // The Mayor's office (approvers) may write and publish the report as well as the clerk.
  const reportWriters = { preHandler: requireRole('clerk', 'approver') };

  const mqt = async (id: string | undefined): Promise<CalendarMeeting> => {
    const meeting = await findCalendarMeeting(db, idParam(id, 'The meeting'));
    if (!meeting || meeting.type !== 'mqt') throw new AppError('not_found', "That meeting has no Mayor's report.");
    return meeting;
  };

  // The clerk's page -----------------------------------------------------------------------------------------

  const editPage = async (reply: FastifyReply, meeting: CalendarMeeting, extra: { values?: { title: string; body: string }; errors?: FormErrors; status?: number } = {}) => {
    const report = await mayorsReportOf(db, meeting.id);
    const open = meeting.state === 'scheduled' && meeting.startsAt.getTime() > app.now().getTime();
    return reply.status(extra.status ?? 200).render('meetings/views/report-edit.njk', {
      site: await app.site(),
      section: 'work',
      errorTitle: Boolean(extra.errors),
      title: `Mayor's report: ${meeting.title}, ${formatLongDate(meeting.meetsOn)}`,
      meeting,
      report: report ?? null,
      open,
      values: extra.values ?? { title: report?.title ?? DEFAULT_REPORT_TITLE, body: report?.body ?? '' },
      questions: await questionsOnMayorsReport(db, meeting.id, 'clerk'),
      errors: extra.errors,
    });
  };

  app.get<{ Params: { id: string } }>('/work/clerk/meetings/:id/report', reportWriters, async (request, reply) => editPage(reply, await mqt(request.params.id)));

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/report', reportWriters, async (request, reply) => {
    const actor = actorOf(request);
    const meeting = await mqt(request.params.id);
    const form = formObject.parse(request.body ?? {});
    const values = { title: formText(form.title) ?? '', body: formText(form.body) ?? '' };
    const publish = form.action === 'publish';
    try {
      const result = await runCommand(app, (trx, options) => saveMayorsReport(trx, actor, { meetingId: meeting.id, ...values, publish }, options));
      const messages = {
        drafted: "The draft of the Mayor's report was saved. It is not public until you publish it.",
        published: "The Mayor's report was published on the meeting's page.",
        revised: "The changes to the Mayor's report were published. The text they replaced is kept in the audit trail.",
        unchanged: "Nothing was changed: the Mayor's report was already as shown.",
      };
      request.session.set('flash', messages[result.action]);
      return reply.redirect(`/work/clerk/meetings/${meeting.id}/report`, 303);
    } catch (error) {
      const errors = errorsFrom(error);
      if (!errors || !isAppError(error)) throw error;
      // A refusal about the report as a whole (the meeting has started, say) is shown at the text box.
      const list = errors.list.map((e) => ({ text: e.text, href: e.href === '#form' || e.href === '#input' ? '#body' : e.href }));
      const fields = { ...errors.fields };
      const general = fields.form ?? fields.input;
      if (general && !fields.body) fields.body = general;
      return editPage(reply, meeting, { values, errors: { list, fields }, status: error.status });
    }
  });

  // Public -------------------------------------------------------------------------------------------------

  const published = async (slug: string) => {
    const found = await publishedMayorsReport(db, slug, app.now());
    if (!found) throw new AppError('not_found', "There is no published Mayor's report at that address.");
    return { ...found, questions: await questionsOnMayorsReport(db, found.meeting.id, 'public') };
  };

  app.get<{ Params: { slug: string } }>('/meetings/:slug/report', async (request, reply) => {
    const { meeting, report, questions } = await published(request.params.slug);
    return reply.render('meetings/views/report.njk', {
      site: await app.site(),
      section: 'meetings',
      title: `${report.title}: ${meeting.title}, ${formatLongDate(meeting.meetsOn)}`,
      meeting,
      report,
      questions,
    });
  });

  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug/papers/report', async (request) => {
    const { meeting, report, questions } = await published(request.params.slug);
    return presentPublishedReport(meeting, report, questions, app.ctx.config.publicUrl);
  });

  // The clerk's API ----------------------------------------------------------------------------------------

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/report', reportWriters, async (request) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const input = { ...jsonBody(request), meetingId };
    const result = await runCommand(app, (trx, options) => saveMayorsReport(trx, actor, asInput<typeof MayorsReportInput>(input), options));
    const report = await mayorsReportOf(db, meetingId);
    if (!report) throw new AppError('not_found', "The Mayor's report was not found.");
    return presentReportResult(result, report);
  });

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/report/questions', clerkOnly, async (request) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const input = { ...jsonBody(request), meetingId };
    const result = await runCommand(app, (trx, options) => markQuestionOnMayorsReport(trx, actor, asInput<typeof ReportQuestionInput>(input), options));
    const questions = await questionsOnMayorsReport(db, meetingId, 'clerk');
    return {
      questionId: result.questionId,
      onMayorsReport: result.onMayorsReport,
      changed: result.changed,
      questionsOnReport: questions.map((q) => ({ id: q.id, reference: q.reference, title: q.title, type: q.type, state: q.state })),
    };
  });
}
