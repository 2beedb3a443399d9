// One question's whole workflow inside the executive: allocations, drafts with their comments, published
// versions and the audit history. Internal: it has no public presenter.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import type { AnswerKind, DraftState, QuestionState, QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { referenceOf } from './workflow.repository.ts';

const MAY_SEE_WORKFLOW: readonly Actor['role'][] = ['approver', 'admin', 'officer'];

export interface QuestionWorkflow {
  question: {
    id: number;
    reference: string | null;
    title: string;
    body: string;
    type: QuestionType;
    state: QuestionState;
    asker: { id: number; name: string };
    meeting: { id: number; title: string; meetsOn: string };
    askedOn: string | null;
    dueOn: string | null;
    answeringBodyId: number | null;
  };
  allocations: {
    id: number;
    answeringBody: { id: number; name: string };
    officer: { id: number; name: string } | null;
    allocatedBy: string | null;
    allocatedAt: Date;
    endedAt: Date | null;
    transferReason: string | null;
  }[];
  drafts: {
    id: number;
    kind: AnswerKind;
    state: DraftState;
    body: string;
    correctionNote: string | null;
    correctsVersionId: number | null;
    author: string | null;
    approvedBy: string | null;
    approvedAt: Date | null;
    publishedVersionId: number | null;
    createdAt: Date;
    updatedAt: Date;
    comments: { id: number; author: string | null; body: string; createdAt: Date }[];
  }[];
  versions: { id: number; version: number; kind: AnswerKind; delivery: 'written' | 'oral'; body: string; answeredByLabel: string; publishedAt: Date }[];
  history: { occurredAt: Date; actor: string; action: string; fromState: string | null; toState: string | null; details: Record<string, unknown> }[];
}

/**
 * Everything the executive knows about one question, for the Mayor's office, admins and officers of the body it
 * is allocated to. Not for the clerk or members: drafts are the executive's business until published.
 */
export async function questionWorkflow(db: Db, actor: Actor, questionId: number): Promise<QuestionWorkflow> {
  if (!MAY_SEE_WORKFLOW.includes(actor.role)) {
    throw new AppError('forbidden', "Only the Mayor's office and the officers answering a question can see its workflow.");
  }
  const q = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.body',
      'questions.question_type',
      'questions.state',
      'questions.asked_on',
      'questions.due_on',
      'questions.answering_body_id',
      'people.id as asker_id',
      'people.name as asker_name',
      'meetings.id as meeting_id',
      'meetings.title as meeting_title',
      'meetings.meets_on',
    ])
    .where('questions.id', '=', questionId)
    // The executive never sees members' drafts, or questions the clerk has not accepted.
    .where('questions.state', 'in', ['accepted', 'withdrawn'])
    .executeTakeFirst();
  if (!q) throw new AppError('not_found', `There is no question ${questionId} in the executive's workflow.`);

  const allocations = await db
    .selectFrom('allocations')
    .innerJoin('organisations', 'organisations.id', 'allocations.answering_body_id')
    .leftJoin('users as officer', 'officer.id', 'allocations.officer_id')
    .leftJoin('users as by', 'by.id', 'allocations.allocated_by_id')
    .select([
      'allocations.id',
      'allocations.answering_body_id',
      'organisations.name as body_name',
      'officer.id as officer_id',
      'officer.display_name as officer_name',
      'by.display_name as allocated_by',
      'allocations.allocated_at',
      'allocations.ended_at',
      'allocations.transfer_reason',
    ])
    .where('allocations.question_id', '=', questionId)
    .orderBy('allocations.allocated_at')
    .orderBy('allocations.id')
    .execute();
  if (actor.role === 'officer') {
    const current = allocations.find((a) => a.ended_at === null);
    if (!current || current.answering_body_id !== actor.organisationId) {
      throw new AppError('forbidden', 'This question is not allocated to your answering body.');
    }
  }

  const drafts = await db
    .selectFrom('answer_drafts')
    .leftJoin('users as author', 'author.id', 'answer_drafts.author_id')
    .leftJoin('users as approver', 'approver.id', 'answer_drafts.approved_by_id')
    .selectAll('answer_drafts')
    .select(['author.display_name as author_name', 'approver.display_name as approver_name'])
    .where('answer_drafts.question_id', '=', questionId)
    .orderBy('answer_drafts.id')
    .execute();
  const draftIds = drafts.map((d) => d.id);
  const comments =
    draftIds.length === 0
      ? []
      : await db
          .selectFrom('draft_comments')
          .leftJoin('users', 'users.id', 'draft_comments.author_id')
          .select(['draft_comments.id', 'draft_comments.draft_id', 'draft_comments.body', 'draft_comments.created_at', 'users.display_name as author_name'])
          .where('draft_comments.draft_id', 'in', draftIds)
          .orderBy('draft_comments.id')
          .execute();
  const versions = await db
    .selectFrom('answer_versions')
    .select(['id', 'version', 'kind', 'delivery', 'body', 'answered_by_label', 'published_at'])
    .where('question_id', '=', questionId)
    .orderBy('version')
    .execute();
  const history = await db
    .selectFrom('audit_events')
    .select(['occurred_at', 'actor_label', 'action', 'from_state', 'to_state', 'details'])
    .where((eb) => {
      const records = [eb.and([eb('record_type', '=', 'question'), eb('record_id', '=', questionId)])];
      if (draftIds.length > 0) records.push(eb.and([eb('record_type', '=', 'answer_draft'), eb('record_id', 'in', draftIds)]));
      if (versions.length > 0) records.push(eb.and([eb('record_type', '=', 'answer_version'), eb('record_id', 'in', versions.map((v) => v.id))]));
      return eb.or(records);
    })
    .orderBy('id')
    .execute();

  return {
    question: {
      id: q.id,
      reference: referenceOf(q),
      title: q.title,
      body: q.body,
      type: q.question_type,
      state: q.state,
      asker: { id: q.asker_id, name: q.asker_name },
      meeting: { id: q.meeting_id, title: q.meeting_title, meetsOn: q.meets_on },
      askedOn: q.asked_on,
      dueOn: q.due_on,
      answeringBodyId: q.answering_body_id,
    },
    allocations: allocations.map((a) => ({
      id: a.id,
      answeringBody: { id: a.answering_body_id, name: a.body_name },
      officer: a.officer_id !== null && a.officer_name !== null ? { id: a.officer_id, name: a.officer_name } : null,
      allocatedBy: a.allocated_by,
      allocatedAt: a.allocated_at,
      endedAt: a.ended_at,
      transferReason: a.transfer_reason,
    })),
    drafts: drafts.map((d) => ({
      id: d.id,
      kind: d.kind,
      state: d.state,
      body: d.body,
      correctionNote: d.correction_note,
      correctsVersionId: d.corrects_version_id,
      author: d.author_name,
      approvedBy: d.approver_name,
      approvedAt: d.approved_at,
      publishedVersionId: d.published_version_id,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      comments: comments
        .filter((c) => c.draft_id === d.id)
        .map((c) => ({ id: c.id, author: c.author_name, body: c.body, createdAt: c.created_at })),
    })),
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      kind: v.kind,
      delivery: v.delivery,
      body: v.body,
      answeredByLabel: v.answered_by_label,
      publishedAt: v.published_at,
    })),
    history: history.map((h) => ({
      occurredAt: h.occurred_at,
      actor: h.actor_label,
      action: h.action,
      fromState: h.from_state,
      toState: h.to_state,
      details: h.details,
    })),
  };
}
