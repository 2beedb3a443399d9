// Mail to the asking member about their question: accepted, rejected, answer published. Only what is on the
// public record (or, for a rejection, the reason the clerk gives the member) goes in: never draft text,
// internal comments or who in the executive drafted what.
import type { Db } from '../db/database.ts';
import type { AnswerKind } from '../db/schema.ts';
import { formatDate, londonDate } from '../calendar/london-time.ts';
import { enqueueMail, type OutgoingMail } from '../mail/outbox.ts';
import { questionPath } from '../questions/question.presenter.ts';
import type { WorkflowOptions } from './workflow.repository.ts';

/** The accounts that speak for a member: their own, and their staff's. Disabled accounts get nothing. */
export async function askerRecipients(trx: Db, askerId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('email')
    .where('disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('role', '=', 'member'), eb('person_id', '=', askerId)]),
        eb.and([eb('role', '=', 'staff'), eb('acting_for_id', '=', askerId)]),
      ]),
    )
    .orderBy('id')
    .execute();
  const seen = new Set<string>();
  return rows.map((r) => r.email).filter((email) => !seen.has(email.toLowerCase()) && seen.add(email.toLowerCase()));
}

/** A subject line stays one line whatever the stored title holds. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function publicLink(options: WorkflowOptions, year: number, number: number): string {
  return `${(options.publicUrl ?? '').replace(/\/$/, '')}${questionPath(year, number)}`;
}

export interface QuestionForMail {
  title: string;
  referenceYear: number;
  referenceNumber: number;
  reference: string;
  meetingTitle: string;
  meetsOn: string;
}

export function acceptedMail(q: QuestionForMail, options: WorkflowOptions): Omit<OutgoingMail, 'recipient'> {
  return {
    kind: 'question_accepted',
    subject: oneLine(`Question accepted: ${q.reference} ${q.title}`),
    bodyText: [
      'The clerk has accepted your question. It is now on the public record.',
      '',
      `Reference: ${q.reference}`,
      `Title: ${oneLine(q.title)}`,
      `Meeting: ${q.meetingTitle}, ${formatDate(q.meetsOn)}`,
      '',
      `Read it at ${publicLink(options, q.referenceYear, q.referenceNumber)}`,
    ].join('\n'),
  };
}

export function rejectedMail(q: { title: string; meetingTitle: string; meetsOn: string }, reason: string): Omit<OutgoingMail, 'recipient'> {
  return {
    kind: 'question_rejected',
    subject: oneLine(`Question not accepted: ${q.title}`),
    bodyText: [
      'The clerk has not accepted your question.',
      '',
      `Title: ${oneLine(q.title)}`,
      `Meeting: ${q.meetingTitle}, ${formatDate(q.meetsOn)}`,
      '',
      'The reason given:',
      '',
      reason,
    ].join('\n'),
  };
}

const SUBJECT_PREFIX: Record<AnswerKind, string> = {
  holding: 'Holding answer published',
  substantive: 'Answer published',
  correction: 'Correction published',
};

const OPENING: Record<AnswerKind, string> = {
  holding: 'A holding answer to your question has been published. A full answer is still to come.',
  substantive: 'The answer to your question has been published.',
  correction: 'A correction to the answer to your question has been published.',
};

/** Built from the published version itself, so the mail says exactly what the record says. */
export function answerPublishedMail(
  q: QuestionForMail,
  version: { kind: AnswerKind; body: string; answeredByLabel: string; publishedAt: Date; correctionNote: string | null },
  options: WorkflowOptions,
): Omit<OutgoingMail, 'recipient'> {
  return {
    kind: 'answer_published',
    subject: oneLine(`${SUBJECT_PREFIX[version.kind]}: ${q.reference} ${q.title}`),
    bodyText: [
      OPENING[version.kind],
      '',
      `Question ${q.reference}: ${oneLine(q.title)}`,
      `Answered by: ${version.answeredByLabel}`,
      `Published: ${formatDate(londonDate(version.publishedAt))}`,
      ...(version.correctionNote !== null ? ['', `What changed: ${version.correctionNote}`] : []),
      '',
      version.body,
      '',
      `Read it on the record at ${publicLink(options, q.referenceYear, q.referenceNumber)}`,
    ].join('\n'),
  };
}

export async function mailAsker(trx: Db, askerId: number, mail: Omit<OutgoingMail, 'recipient'>, options: WorkflowOptions): Promise<number> {
  const recipients = await askerRecipients(trx, askerId);
  for (const recipient of recipients) {
    await enqueueMail(trx, { ...mail, recipient }, options.mailDomain !== undefined ? { domain: options.mailDomain } : {});
  }
  return recipients.length;
}
