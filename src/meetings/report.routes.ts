// The Mayor's report: the page where the clerk (or the Mayor's office) writes, saves and publishes it; the public page (only once published); and
// the same through the API, with marking the questions asked on the report.
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, type FormErrors } from '../web/forms.ts';
import { presentPublishedReport, presentReportResult } from './calendar.presenter.ts';
import {
  findCalendarMeeting,
  mayorsReportCandidates,
  mayorsReportOf,
  publishedMayorsReport,
  questionsOnMayorsReport,
  reportDocumentContent,
  reportDocumentOf,
  type CalendarMeeting,
} from './calendar.queries.ts';
import { REPORT_DOCUMENT_MAX_BYTES, describeDocument, type UploadedFile } from './report-document.ts';
import { DEFAULT_REPORT_TITLE, markQuestionOnMayorsReport, saveMayorsReport } from './report.commands.ts';
import type { MayorsReportInput, ReportQuestionInput } from './report.commands.ts';

function asInput<S extends z.ZodType>(value: Record<string, unknown>): z.input<S> {
  return value as z.input<S>;
}

/** The API sends a document as { fileName, contentBase64 }. */
const apiDocument = z
  .object({
    fileName: z.string({ error: 'Give the document a fileName' }),
    contentBase64: z.string({ error: 'Send the document as contentBase64' }).regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'contentBase64 must be base64'),
  })
  .optional();

/** What the form's file field holds: a browser sends an empty part with no name when no file was chosen. */
function uploadedFile(value: unknown): UploadedFile | undefined {
  if (!value || typeof value !== 'object' || !('content' in value)) return undefined;
  const file = value as UploadedFile;
  return file.fileName === '' && file.content.length === 0 ? undefined : file;
}

function describe(doc: { media_type: Parameters<typeof describeDocument>[0]; byte_size: number; file_name: string } | undefined) {
  return doc ? { fileName: doc.file_name, description: describeDocument(doc.media_type, doc.byte_size) } : null;
}

export async function mayorsReportRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  // The report form uploads a file; its fields (and CSRF token) land on the body like any other form's.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: REPORT_DOCUMENT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1_000_000 },
    async onFile(part: MultipartFile & { value?: unknown }) {
      const content = await part.toBuffer();
      part.value = { fileName: part.filename, content, truncated: part.file.truncated } satisfies UploadedFile;
    },
  });
  const clerkOnly = { preHandler: requireRole('clerk') };
  // The Mayor's office (approvers) may write and publish the report as well as the clerk.
  const reportWriters = { preHandler: requireRole('clerk', 'approver') };

  const mqt = async (id: string | undefined): Promise<CalendarMeeting> => {
    const meeting = await findCalendarMeeting(db, idParam(id, 'The meeting'));
    if (!meeting || meeting.type !== 'mqt') throw new AppError('not_found', "That meeting has no Mayor's report.");
    return meeting;
  };

  // The clerk's page -----------------------------------------------------------------------------------------

  const editPage = async (request: FastifyRequest, reply: FastifyReply, meeting: CalendarMeeting, extra: { values?: { title: string; body: string }; errors?: FormErrors; status?: number } = {}) => {
    const report = await mayorsReportOf(db, meeting.id);
    const document = report ? await reportDocumentOf(db, report.id) : undefined;
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
      document: describe(document),
      candidates: await mayorsReportCandidates(db, meeting.id),
      canMark: request.actor?.role === 'clerk',
      errors: extra.errors,
    });
  };

  app.get<{ Params: { id: string } }>('/work/clerk/meetings/:id/report', reportWriters, async (request, reply) => editPage(request, reply, await mqt(request.params.id)));

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/report', reportWriters, async (request, reply) => {
    const actor = actorOf(request);
    const meeting = await mqt(request.params.id);
    const form = formObject.parse(request.body ?? {});
    const values = { title: formText(form.title) ?? '', body: formText(form.body) ?? '' };
    const publish = form.action === 'publish';
    try {
      const document = uploadedFile(form.document);
      const result = await runCommand(app, (trx, options) => saveMayorsReport(trx, actor, { meetingId: meeting.id, ...values, document, publish }, options));
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
      return editPage(request, reply, meeting, { values, errors: { list, fields }, status: error.status });
    }
  });

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/report/questions', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meeting = await mqt(request.params.id);
    const form = formObject.parse(request.body ?? {});
    const questionId = idParam(formText(form.questionId), 'The question');
    const onMayorsReport = form.onMayorsReport === 'true';
    const result = await runCommand(app, (trx, options) => markQuestionOnMayorsReport(trx, actor, { meetingId: meeting.id, questionId, onMayorsReport }, options));
    const question = (await mayorsReportCandidates(db, meeting.id)).find((q) => q.id === questionId);
    const name = question ? `${question.reference ?? 'The question'} (${question.title})` : 'The question';
    request.session.set(
      'flash',
      !result.changed ? `Nothing was changed: ${name} was already ${onMayorsReport ? 'on' : 'off'} the report.` : onMayorsReport ? `${name} is now on the Mayor's report.` : `${name} was taken off the Mayor's report.`,
    );
    return reply.redirect(`/work/clerk/meetings/${meeting.id}/report#report-questions`, 303);
  });

  // Public -------------------------------------------------------------------------------------------------

  const published = async (slug: string) => {
    const found = await publishedMayorsReport(db, slug, app.now());
    if (!found) throw new AppError('not_found', "There is no published Mayor's report at that address.");
    const document = await reportDocumentOf(db, found.report.id);
    return { ...found, document, questions: await questionsOnMayorsReport(db, found.meeting.id, 'public') };
  };

  app.get<{ Params: { slug: string } }>('/meetings/:slug/report', async (request, reply) => {
    const { meeting, report, questions, document } = await published(request.params.slug);
    return reply.render('meetings/views/report.njk', {
      document: describe(document),
      site: await app.site(),
      section: 'meetings',
      title: `${report.title}: ${meeting.title}, ${formatLongDate(meeting.meetsOn)}`,
      meeting,
      report,
      questions,
    });
  });

  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug/papers/report', async (request) => {
    const { meeting, report, questions, document } = await published(request.params.slug);
    const url = app.ctx.config.publicUrl;
    return {
      ...presentPublishedReport(meeting, report, questions, url),
      document: document
        ? { url: `${url}/meetings/${meeting.slug}/report/document`, fileName: document.file_name, mediaType: document.media_type, bytes: document.byte_size, sha256: document.sha256 }
        : null,
    };
  });

  app.get<{ Params: { slug: string } }>('/meetings/:slug/report/document', async (request, reply) => {
    const { report } = await published(request.params.slug);
    const file = await reportDocumentContent(db, report.id);
    if (!file) throw new AppError('not_found', "The Mayor's report for that meeting was written in, not uploaded as a document.");
    const asciiName = file.file_name.replace(/[^\x20-\x7E]/g, '_');
    return reply
      .type(file.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : file.media_type)
      .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
      .header('x-content-type-options', 'nosniff')
      .header('etag', `"${file.sha256}"`)
      .send(file.content);
  });

  // The clerk's API ----------------------------------------------------------------------------------------

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/report', reportWriters, async (request) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const body = jsonBody(request);
    const parsedDocument = apiDocument.safeParse(body.document);
    if (!parsedDocument.success) throw new AppError('validation_failed', `The Mayor's report has a problem: ${parsedDocument.error.issues[0]?.message ?? 'the document is not valid'}.`, { fields: { document: parsedDocument.error.issues[0]?.message ?? 'Not valid' } });
    const document = parsedDocument.data ? { fileName: parsedDocument.data.fileName, content: Buffer.from(parsedDocument.data.contentBase64, 'base64') } : undefined;
    const input = { ...body, document, meetingId };
    const result = await runCommand(app, (trx, options) => saveMayorsReport(trx, actor, asInput<typeof MayorsReportInput>(input), options));
    const report = await mayorsReportOf(db, meetingId);
    if (!report) throw new AppError('not_found', "The Mayor's report was not found.");
    return { ...presentReportResult(result, report), document: describe(await reportDocumentOf(db, report.id)) };
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
