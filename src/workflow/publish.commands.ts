// Publishing an approved draft: a new, immutable answer version on the record, and mail to the asking member.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { MembershipRole } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { fieldError, id, parseInput } from './input.ts';
import { answerPublishedMail, mailAsker } from './notify.ts';
import { decideOnDraft, nowOf, referenceOf, type WorkflowOptions } from './workflow.repository.ts';

export const PublishDraftInput = z.object({
  draftId: id('a draft answer'),
  /** Who answers, when not the Mayor: a deputy mayor or commissioner in office on the day. */
  answeredById: id('who answers').optional(),
});

/** Executive offices whose holders answer questions. */
const ANSWERING_ROLES = ['mayor', 'deputy_mayor', 'commissioner'] as const satisfies readonly MembershipRole[];

const DEFAULT_LABELS: Record<(typeof ANSWERING_ROLES)[number], string> = {
  mayor: 'Mayor',
  deputy_mayor: 'Deputy Mayor',
  commissioner: 'Commissioner',
};

/** Who answers on a day, and the label the record shows for them: the Mayor, unless someone else is named. */
async function answerer(trx: Db, today: string, personId: number | undefined, about: string): Promise<{ id: number; label: string }> {
  let query = trx
    .selectFrom('memberships')
    .select(['person_id', 'role', 'label'])
    .where('start_date', '<=', today)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc');
  query = personId === undefined ? query.where('role', '=', 'mayor') : query.where('role', 'in', ANSWERING_ROLES).where('person_id', '=', personId);
  const office = await query.limit(1).executeTakeFirst();
  if (!office) {
    if (personId !== undefined) throw fieldError('answeredById', 'Choose the Mayor, a deputy mayor or a commissioner in office today', about);
    throw new AppError('conflict', 'No one holds the office of Mayor today, so the answer cannot be published; choose who answers.');
  }
  const role = office.role as (typeof ANSWERING_ROLES)[number];
  return { id: office.person_id, label: office.label ?? DEFAULT_LABELS[role] };
}

export interface PublishedAnswer {
  draftId: number;
  answerVersionId: number;
  version: number;
  /** How many of the member's accounts were sent the answer. */
  notified: number;
}

/**
 * Publishes an approved draft. The question and draft rows are locked first, so when two approvers publish the
 * same draft at once the second waits, then finds it published and is refused ('conflict'): one version, one mail.
 */
export async function publishDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof PublishDraftInput>,
  options: WorkflowOptions = {},
): Promise<PublishedAnswer> {
  const about = 'Publishing the answer';
  const data = parseInput(PublishDraftInput, input, about);
  const now = nowOf(options);
  const { question, draft, to } = await decideOnDraft(trx, actor, 'publishDraft', data.draftId, now);
  const by = await answerer(trx, londonDate(now), data.answeredById, about);
  const reference = referenceOf(question);
  if (reference === null || question.reference_year === null || question.reference_number === null) {
    throw new Error(`accepted question ${question.id} has no reference`);
  }

  const last = await trx
    .selectFrom('answer_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('question_id', '=', question.id)
    .executeTakeFirst();
  const version = (last?.version ?? 0) + 1;
  const published = await trx
    .insertInto('answer_versions')
    .values({
      question_id: question.id,
      version,
      kind: draft.kind,
      delivery: 'written',
      body: draft.body,
      answered_by_id: by.id,
      answered_by_label: by.label,
      published_at: now,
      corrects_version_id: draft.kind === 'correction' ? draft.corrects_version_id : null,
      correction_note: draft.kind === 'correction' ? draft.correction_note : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('answer_drafts')
    .set({ state: 'published', published_version_id: published.id, updated_at: now })
    .where('id', '=', draft.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'answer_version.published',
    recordType: 'answer_version',
    recordId: published.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: question.id, draftId: draft.id, version, kind: draft.kind, answeredById: by.id },
  });

  const meeting = await trx.selectFrom('meetings').select(['title', 'meets_on']).where('id', '=', question.meeting_id).executeTakeFirstOrThrow();
  const notified = await mailAsker(
    trx,
    question.asker_id,
    answerPublishedMail(
      {
        title: question.title,
        reference,
        referenceYear: question.reference_year,
        referenceNumber: question.reference_number,
        meetingTitle: meeting.title,
        meetsOn: meeting.meets_on,
      },
      // From the inserted row: the mail says what the record says.
      { kind: published.kind, body: published.body, answeredByLabel: published.answered_by_label, publishedAt: published.published_at, correctionNote: published.correction_note },
      options,
    ),
    options,
  );
  return { draftId: draft.id, answerVersionId: published.id, version, notified };
}
