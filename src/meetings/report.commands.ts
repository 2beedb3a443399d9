// The Mayor's report for an MQT: the clerk or the Mayor's office writes (or pastes) it, saves drafts, publishes it before the meeting; and
// marks the questions asked on the report, which are a stream of their own at the meeting.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { ReportDocumentMediaType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { characterCount, cleanText, fieldError, id, parseInput, titleText } from '../workflow/input.ts';
import { lockQuestion, nowOf, type WorkflowOptions } from '../workflow/workflow.repository.ts';
import { lockMeeting, mayorsReportOf, reportDocumentOf } from './calendar.queries.ts';
import { recogniseReportDocument, type UploadedFile } from './report-document.ts';

export const REPORT_MAX = 100_000;
export const DEFAULT_REPORT_TITLE = "Mayor's report";

const reportBody = z
  .string({ error: "Enter the text of the Mayor's report" })
  .transform(cleanText)
  .refine((v) => characterCount(v) <= REPORT_MAX, { message: `The report must be ${REPORT_MAX.toLocaleString('en-GB')} characters or fewer` });

export const MayorsReportInput = z.object({
  meetingId: id('a meeting'),
  title: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), titleText().optional()),
  /** The written text; may be left empty when the report is uploaded as a document. */
  body: reportBody.optional(),
  /** An uploaded file (PDF, Word, OpenDocument or plain text); it replaces any document uploaded before. */
  document: z
    .object({ fileName: z.string({ error: 'Give the file a name' }), content: z.instanceof(Buffer, { message: 'Choose a file' }), truncated: z.boolean().optional() })
    .optional(),
  /** Publish now (or publish the changes to a published report); otherwise save a draft. */
  publish: z.boolean({ error: 'Say whether to publish the report (true or false)' }).optional(),
});

export const ReportQuestionInput = z.object({
  meetingId: id('a meeting'),
  questionId: id('a question'),
  onMayorsReport: z.boolean({ error: "Say whether the question is on the Mayor's report (true or false)" }),
});

/** The clerk publishes the report; the Mayor's office (approvers), whose report it is, may too. */
function requireReportWriter(actor: Actor): void {
  if (actor.role !== 'clerk' && actor.role !== 'approver') throw new AppError('forbidden', "Only the clerk or the Mayor's office publishes the Mayor's report.");
}

/** The report belongs to a scheduled MQT that has not started: it is published ahead of the meeting. */
async function lockReportMeeting(trx: Db, meetingId: number, now: Date) {
  const meeting = await lockMeeting(trx, meetingId);
  if (meeting.meeting_type !== 'mqt') throw new AppError('conflict', "Only Mayor's Question Time has a Mayor's report.");
  if (meeting.state !== 'scheduled') throw new AppError('conflict', `This meeting was ${meeting.state}, so its report can no longer be changed.`);
  if (meeting.starts_at.getTime() <= now.getTime()) {
    throw new AppError('conflict', `The Mayor's report comes before the meeting, which started on ${formatLongDate(meeting.meets_on)}: it can no longer be changed.`);
  }
  return meeting;
}

export interface ReportResult {
  meetingId: number;
  paperId: number;
  state: 'draft' | 'published';
  publishedAt: Date | null;
  /** What happened, as the audit trail names it. */
  action: 'drafted' | 'published' | 'revised' | 'unchanged';
}

interface StoredDocument {
  fileName: string;
  mediaType: ReportDocumentMediaType;
  sha256: string;
  byteSize: number;
  content: Buffer;
}

function documentFrom(upload: UploadedFile | undefined): StoredDocument | undefined {
  if (!upload) return undefined;
  const recognised = recogniseReportDocument(upload);
  if (!recognised.ok) throw fieldError('document', recognised.message, "The Mayor's report");
  return {
    fileName: recognised.fileName,
    mediaType: recognised.mediaType,
    sha256: createHash('sha256').update(upload.content).digest('hex'),
    byteSize: upload.content.length,
    content: upload.content,
  };
}

async function storeDocument(trx: Db, paperId: number, document: StoredDocument, now: Date): Promise<void> {
  const values = { file_name: document.fileName, media_type: document.mediaType, byte_size: document.byteSize, sha256: document.sha256, content: document.content, uploaded_at: now };
  await trx
    .insertInto('meeting_paper_documents')
    .values({ paper_id: paperId, ...values })
    .onConflict((oc) => oc.column('paper_id').doUpdateSet(values))
    .execute();
}

/**
 * Saves the Mayor's report as a draft, or publishes it. The report is written in, uploaded as a document, or
 * both; a plain text file stands as the written text when none was written. A published report stays
 * published: later changes are published at once and the audit trail keeps the text (and file) they replaced.
 */
export async function saveMayorsReport(trx: Db, actor: Actor, input: z.input<typeof MayorsReportInput>, options: WorkflowOptions = {}): Promise<ReportResult> {
  requireReportWriter(actor);
  const data = parseInput(MayorsReportInput, input, "The Mayor's report");
  const now = nowOf(options);
  const upload = data.document && data.document.content.length === 0 && data.document.fileName === '' ? undefined : data.document;
  const document = documentFrom(upload);
  const meeting = await lockReportMeeting(trx, data.meetingId, now);
  const title = data.title ?? DEFAULT_REPORT_TITLE;
  const publish = data.publish ?? false;
  const existing = await mayorsReportOf(trx, meeting.id);
  const existingDocument = existing ? await reportDocumentOf(trx, existing.id) : undefined;
  const recognisedText = upload && document?.mediaType === 'text/plain' ? cleanText(upload.content.toString('utf8')) : '';
  const body = data.body || (recognisedText && characterCount(recognisedText) <= REPORT_MAX ? recognisedText : '');
  if (body === '' && !document && !existingDocument) {
    throw fieldError('body', "Enter the text of the Mayor's report, or upload it as a document", "The Mayor's report");
  }
  const documentDetails = document ? { document: { fileName: document.fileName, sha256: document.sha256, bytes: document.byteSize, previousSha256: existingDocument?.sha256 ?? null } } : {};

  if (existing?.publishedAt && !publish) {
    throw new AppError('conflict', "The Mayor's report is already published: publish the changes, or leave it as it is.");
  }
  if (!existing) {
    const row = await trx
      .insertInto('meeting_papers')
      .values({ meeting_id: meeting.id, kind: 'mayors_report', title, body, published_at: publish ? now : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (document) await storeDocument(trx, row.id, document, now);
    await recordAudit(trx, actor, {
      action: publish ? 'meeting.mayors_report_published' : 'meeting.mayors_report_drafted',
      recordType: 'meeting',
      recordId: meeting.id,
      toState: publish ? 'published' : 'draft',
      details: { paperId: row.id, title, characters: characterCount(body), ...documentDetails },
    });
    return { meetingId: meeting.id, paperId: row.id, state: publish ? 'published' : 'draft', publishedAt: publish ? now : null, action: publish ? 'published' : 'drafted' };
  }

  const sameDocument = !document || document.sha256 === existingDocument?.sha256;
  const unchanged = existing.title === title && existing.body === body && sameDocument;
  if (existing.publishedAt) {
    if (unchanged) return { meetingId: meeting.id, paperId: existing.id, state: 'published', publishedAt: existing.publishedAt, action: 'unchanged' };
    await trx.updateTable('meeting_papers').set({ title, body }).where('id', '=', existing.id).execute();
    if (document && !sameDocument) await storeDocument(trx, existing.id, document, now);
    await recordAudit(trx, actor, {
      action: 'meeting.mayors_report_revised',
      recordType: 'meeting',
      recordId: meeting.id,
      fromState: 'published',
      toState: 'published',
      details: { paperId: existing.id, title, previousTitle: existing.title, previousBody: existing.body, ...(sameDocument ? {} : documentDetails) },
    });
    return { meetingId: meeting.id, paperId: existing.id, state: 'published', publishedAt: existing.publishedAt, action: 'revised' };
  }

  if (unchanged && !publish) return { meetingId: meeting.id, paperId: existing.id, state: 'draft', publishedAt: null, action: 'unchanged' };
  await trx
    .updateTable('meeting_papers')
    .set({ title, body, published_at: publish ? now : null })
    .where('id', '=', existing.id)
    .execute();
  if (document && !sameDocument) await storeDocument(trx, existing.id, document, now);
  await recordAudit(trx, actor, {
    action: publish ? 'meeting.mayors_report_published' : 'meeting.mayors_report_drafted',
    recordType: 'meeting',
    recordId: meeting.id,
    fromState: 'draft',
    toState: publish ? 'published' : 'draft',
    details: { paperId: existing.id, title, characters: characterCount(body), ...(sameDocument ? {} : documentDetails) },
  });
  return { meetingId: meeting.id, paperId: existing.id, state: publish ? 'published' : 'draft', publishedAt: publish ? now : null, action: publish ? 'published' : 'drafted' };
}

/** The clerk marks a question as asked on the Mayor's report (or takes the mark off). */
export async function markQuestionOnMayorsReport(
  trx: Db,
  actor: Actor,
  input: z.input<typeof ReportQuestionInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; onMayorsReport: boolean; changed: boolean }> {
  if (actor.role !== 'clerk') throw new AppError('forbidden', "Only the clerk marks questions on the Mayor's report.");
  const data = parseInput(ReportQuestionInput, input, 'The change');
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  // A member's draft is theirs alone: to anyone else it does not exist.
  if (question.state === 'draft') throw new AppError('not_found', `There is no question ${data.questionId}.`);
  if (question.meeting_id !== data.meetingId) throw fieldError('questionId', 'That question is not for this meeting', 'The change');
  if (question.question_type === 'supplementary') throw fieldError('questionId', 'A supplementary follows its question and is not marked on its own', 'The change');
  if (question.state !== 'tabled' && question.state !== 'accepted') throw new AppError('conflict', `That question was ${question.state}, so it cannot be put on the Mayor's report.`);
  const meeting = await lockMeeting(trx, data.meetingId);
  if (meeting.meeting_type !== 'mqt') throw new AppError('conflict', "Only Mayor's Question Time has a Mayor's report.");
  if (question.on_mayors_report === data.onMayorsReport) return { questionId: question.id, onMayorsReport: data.onMayorsReport, changed: false };
  await trx.updateTable('questions').set({ on_mayors_report: data.onMayorsReport, updated_at: now }).where('id', '=', question.id).execute();
  await recordAudit(trx, actor, {
    action: data.onMayorsReport ? 'question.put_on_mayors_report' : 'question.taken_off_mayors_report',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: question.state,
    details: { meetingId: meeting.id },
  });
  return { questionId: question.id, onMayorsReport: data.onMayorsReport, changed: true };
}
