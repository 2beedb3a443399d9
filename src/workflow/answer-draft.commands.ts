// Draft answers inside the executive: an officer of the allocated body (or the Mayor's office) writes and
// submits; the Mayor's office returns with comments or approves. Publishing is in publish.commands.ts.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { bodyText, fieldError, id, parseInput, reasonText } from './input.ts';
import { ANSWER_KINDS, decide } from './lifecycle.ts';
import { decideOnDraft, lockQuestion, nowOf, questionFacts, requireAllowed, type AnswerDraft, type WorkflowOptions } from './workflow.repository.ts';

const draftId = id('a draft answer');

export const WriteAnswerDraftInput = z
  .object({
    questionId: id('a question'),
    kind: z.enum(ANSWER_KINDS, { error: 'Choose holding, substantive or correction' }),
    body: bodyText('the text of the answer'),
    /** For a correction: the published version it corrects (the latest substantive or correction by default). */
    correctsVersionId: id('the answer to correct').optional(),
    correctionNote: reasonText('what the correction changes').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'correction' && v.correctionNote === undefined) {
      ctx.addIssue({ code: 'custom', path: ['correctionNote'], message: 'Say what the correction changes' });
    }
    if (v.kind !== 'correction' && v.correctionNote !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['correctionNote'], message: 'Only a correction has a note of what changed' });
    }
    if (v.kind !== 'correction' && v.correctsVersionId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['correctsVersionId'], message: 'Only a correction corrects an earlier answer' });
    }
  });

export const EditAnswerDraftInput = z
  .object({
    draftId,
    body: bodyText('the text of the answer').optional(),
    correctionNote: reasonText('what the correction changes').optional(),
  })
  .refine((v) => v.body !== undefined || v.correctionNote !== undefined, { error: 'Change the text or the correction note', path: ['input'] });

export const DraftIdInput = z.object({ draftId });

export const ReturnDraftInput = z.object({
  draftId,
  comment: bodyText('a comment saying what needs to change'),
});

export const ApproveDraftInput = z.object({
  draftId,
  comment: bodyText('a comment').optional(),
});

export const AbandonDraftInput = z.object({
  draftId,
  reason: reasonText('a reason').optional(),
});

async function addComment(trx: Db, actor: Actor, draft: AnswerDraft, body: string): Promise<number> {
  const row = await trx
    .insertInto('draft_comments')
    .values({ draft_id: draft.id, author_id: actor.userId, body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function writeAnswerDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof WriteAnswerDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number }> {
  const about = 'The draft answer';
  const data = parseInput(WriteAnswerDraftInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const to = requireAllowed(decide('writeAnswerDraft', await questionFacts(trx, actor, question, now, { draftKind: data.kind })));

  let correctsVersionId: number | null = null;
  if (data.kind === 'correction') {
    let query = trx
      .selectFrom('answer_versions')
      .select('id')
      .where('question_id', '=', question.id)
      .where('kind', 'in', ['substantive', 'correction'])
      .orderBy('version', 'desc');
    if (data.correctsVersionId !== undefined) query = query.where('id', '=', data.correctsVersionId);
    const corrected = await query.limit(1).executeTakeFirst();
    if (!corrected) throw fieldError('correctsVersionId', "Choose one of this question's published answers", about);
    correctsVersionId = corrected.id;
  }

  const { id: newId } = await trx
    .insertInto('answer_drafts')
    .values({
      question_id: question.id,
      kind: data.kind,
      state: 'drafting',
      body: data.body,
      corrects_version_id: correctsVersionId,
      correction_note: data.correctionNote ?? null,
      author_id: actor.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'answer_draft.created',
    recordType: 'answer_draft',
    recordId: newId,
    fromState: null,
    toState: to,
    details: { questionId: question.id, kind: data.kind },
  });
  return { draftId: newId };
}

/** Edits the text (or correction note) of a draft. Returns what changed; an edit that changes nothing writes nothing. */
export async function editAnswerDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof EditAnswerDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number; changed: string[] }> {
  const about = 'The draft answer';
  const data = parseInput(EditAnswerDraftInput, input, about);
  const now = nowOf(options);
  const { draft, to } = await decideOnDraft(trx, actor, 'editAnswerDraft', data.draftId, now);
  if (data.correctionNote !== undefined && draft.kind !== 'correction') {
    throw fieldError('correctionNote', 'Only a correction has a note of what changed', about);
  }
  const changes: { body?: string; correction_note?: string } = {};
  if (data.body !== undefined && data.body !== draft.body) changes.body = data.body;
  if (data.correctionNote !== undefined && data.correctionNote !== draft.correction_note) changes.correction_note = data.correctionNote;
  const changed = Object.keys(changes);
  if (changed.length === 0) return { draftId: draft.id, changed };
  await trx
    .updateTable('answer_drafts')
    .set({ ...changes, updated_at: now })
    .where('id', '=', draft.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'answer_draft.edited',
    recordType: 'answer_draft',
    recordId: draft.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: draft.question_id, changed },
  });
  return { draftId: draft.id, changed };
}

export async function submitDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof DraftIdInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number }> {
  const data = parseInput(DraftIdInput, input, 'The submission');
  const now = nowOf(options);
  const { draft, to } = await decideOnDraft(trx, actor, 'submitDraft', data.draftId, now);
  await trx.updateTable('answer_drafts').set({ state: 'submitted', updated_at: now }).where('id', '=', draft.id).execute();
  await recordAudit(trx, actor, {
    action: 'answer_draft.submitted',
    recordType: 'answer_draft',
    recordId: draft.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: draft.question_id },
  });
  return { draftId: draft.id };
}

/** The Mayor's office sends a submitted draft back to its author with a comment. */
export async function returnDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof ReturnDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number; commentId: number }> {
  const data = parseInput(ReturnDraftInput, input, 'Returning the draft');
  const now = nowOf(options);
  const { draft, to } = await decideOnDraft(trx, actor, 'returnDraft', data.draftId, now);
  await trx.updateTable('answer_drafts').set({ state: 'returned', updated_at: now }).where('id', '=', draft.id).execute();
  const commentId = await addComment(trx, actor, draft, data.comment);
  await recordAudit(trx, actor, {
    action: 'answer_draft.returned',
    recordType: 'answer_draft',
    recordId: draft.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: draft.question_id, commentId },
  });
  return { draftId: draft.id, commentId };
}

export async function approveDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof ApproveDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number }> {
  const data = parseInput(ApproveDraftInput, input, 'The approval');
  const now = nowOf(options);
  const { draft, to } = await decideOnDraft(trx, actor, 'approveDraft', data.draftId, now);
  await trx
    .updateTable('answer_drafts')
    .set({ state: 'approved', approved_by_id: actor.userId, approved_at: now, updated_at: now })
    .where('id', '=', draft.id)
    .execute();
  const commentId = data.comment !== undefined ? await addComment(trx, actor, draft, data.comment) : null;
  await recordAudit(trx, actor, {
    action: 'answer_draft.approved',
    recordType: 'answer_draft',
    recordId: draft.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: draft.question_id, ...(commentId !== null ? { commentId } : {}) },
  });
  return { draftId: draft.id };
}

/** Sets a draft aside for good (the question was transferred or withdrawn, or the draft is no longer wanted). */
export async function abandonDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof AbandonDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ draftId: number }> {
  const data = parseInput(AbandonDraftInput, input, 'Abandoning the draft');
  const now = nowOf(options);
  const { draft, to } = await decideOnDraft(trx, actor, 'abandonDraft', data.draftId, now);
  await trx.updateTable('answer_drafts').set({ state: 'abandoned', updated_at: now }).where('id', '=', draft.id).execute();
  await recordAudit(trx, actor, {
    action: 'answer_draft.abandoned',
    recordType: 'answer_draft',
    recordId: draft.id,
    fromState: draft.state,
    toState: to,
    details: { questionId: draft.question_id, ...(data.reason !== undefined ? { reason: data.reason } : {}) },
  });
  return { draftId: draft.id };
}
