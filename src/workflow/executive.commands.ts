// What the Mayor's private office does with accepted questions: allocate them to an answering body (and officer),
// and transfer them to another body. Allocations are internal; only the answering body shows on the record.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { fieldError, id, parseInput, reasonText } from './input.ts';
import { decide } from './lifecycle.ts';
import { currentAllocation, lockQuestion, nowOf, questionFacts, requireAllowed, type WorkflowOptions } from './workflow.repository.ts';

export const AllocateInput = z.object({
  questionId: id('a question'),
  answeringBodyId: id('the answering body'),
  officerId: id('an officer').optional(),
});

export const TransferInput = z.object({
  questionId: id('a question'),
  answeringBodyId: id('the answering body to transfer to'),
  officerId: id('an officer').optional(),
  reason: reasonText('the reason for the transfer'),
});

/** The body must be part of the executive side and still exist; the officer, if named, must work there. */
async function checkBodyAndOfficer(trx: Db, bodyId: number, officerId: number | undefined, today: string, about: string): Promise<void> {
  const body = await trx
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', bodyId)
    .where('classification', 'in', ['executive', 'functional_body'])
    .where((eb) => eb.or([eb('dissolved_on', 'is', null), eb('dissolved_on', '>', today)]))
    .executeTakeFirst();
  if (!body) throw fieldError('answeringBodyId', 'Choose an answering body from the list', about);
  if (officerId === undefined) return;
  const officer = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', officerId)
    .where('role', '=', 'officer')
    .where('organisation_id', '=', bodyId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!officer) throw fieldError('officerId', 'Choose an officer of that answering body', about);
}

/** A new current allocation of the question, and the question's answering body set to match. */
async function startAllocation(trx: Db, actor: Actor, questionId: number, to: { answeringBodyId: number; officerId?: number | undefined }, now: Date): Promise<number> {
  const { id } = await trx
    .insertInto('allocations')
    .values({
      question_id: questionId,
      answering_body_id: to.answeringBodyId,
      officer_id: to.officerId ?? null,
      allocated_by_id: actor.userId,
      allocated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('questions').set({ answering_body_id: to.answeringBodyId, updated_at: now }).where('id', '=', questionId).execute();
  return id;
}

export async function allocateQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof AllocateInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; allocationId: number }> {
  const about = 'The allocation';
  const data = parseInput(AllocateInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const decision = decide('allocate', await questionFacts(trx, actor, question, now));
  if (!decision.ok) requireAllowed(decision);
  await checkBodyAndOfficer(trx, data.answeringBodyId, data.officerId, londonDate(now), about);
  const to = requireAllowed(decision);

  const allocationId = await startAllocation(trx, actor, question.id, data, now);
  await recordAudit(trx, actor, {
    action: 'question.allocated',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: { allocationId, answeringBodyId: data.answeringBodyId, officerId: data.officerId ?? null },
  });
  return { questionId: question.id, allocationId };
}

/** Moves a question to another answering body. Drafts stay with the question for the new body to take up or abandon. */
export async function transferQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof TransferInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; allocationId: number }> {
  const about = 'The transfer';
  const data = parseInput(TransferInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const current = await currentAllocation(trx, question.id);
  const decision = decide(
    'transfer',
    await questionFacts(trx, actor, question, now, { transferToSameBody: current?.answering_body_id === data.answeringBodyId }),
  );
  if (!decision.ok) requireAllowed(decision);
  await checkBodyAndOfficer(trx, data.answeringBodyId, data.officerId, londonDate(now), about);
  const to = requireAllowed(decision);
  if (!current) throw new Error('transfer allowed without a current allocation');

  await trx.updateTable('allocations').set({ ended_at: now, transfer_reason: data.reason }).where('id', '=', current.id).execute();
  const allocationId = await startAllocation(trx, actor, question.id, data, now);
  await recordAudit(trx, actor, {
    action: 'question.transferred',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: {
      allocationId,
      fromAnsweringBodyId: current.answering_body_id,
      toAnsweringBodyId: data.answeringBodyId,
      officerId: data.officerId ?? null,
      reason: data.reason,
    },
  });
  return { questionId: question.id, allocationId };
}
