// The executive's internal lists: questions to allocate, drafts to approve, an officer's queue (the whole
// workflow of one question is in question-workflow.queries.ts). Internal: none of this has a public presenter.
import type { Actor } from '../auth/actor.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { AnswerKind, DraftState, QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { OPEN_DRAFT_STATES } from './lifecycle.ts';
import { referenceOf } from './workflow.repository.ts';

function requireRole(actor: Actor, roles: readonly Actor['role'][], what: string): void {
  if (!roles.includes(actor.role)) throw new AppError('forbidden', what);
}

export interface UnallocatedQuestion {
  id: number;
  reference: string | null;
  title: string;
  type: QuestionType;
  meeting: { id: number; title: string; meetsOn: string };
  askedOn: string | null;
  dueOn: string | null;
  answeringBodyId: number | null;
}

/** Accepted questions still to be answered that nobody is working on: earliest deadline first. */
export async function unallocatedQuestions(db: Db, actor: Actor): Promise<UnallocatedQuestion[]> {
  requireRole(actor, ['approver'], "Only the Mayor's office can see questions waiting to be allocated.");
  const rows = await db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.question_type',
      'questions.asked_on',
      'questions.due_on',
      'questions.answering_body_id',
      'meetings.id as meeting_id',
      'meetings.title as meeting_title',
      'meetings.meets_on',
    ])
    .where('questions.state', '=', 'accepted')
    .where('questions.question_type', '<>', 'supplementary')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('allocations').select('allocations.id').whereRef('allocations.question_id', '=', 'questions.id').where('allocations.ended_at', 'is', null),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('answer_versions')
            .select('answer_versions.id')
            .whereRef('answer_versions.question_id', '=', 'questions.id')
            .where('answer_versions.kind', 'in', ['substantive', 'correction']),
        ),
      ),
    )
    // An oral question reached at its meeting was answered there.
    .where((eb) => eb.not(eb.and([eb('questions.question_type', '=', 'oral'), eb('questions.asked_on', 'is not', null), eb('questions.not_reached', '=', false)])))
    .orderBy('questions.due_on', (ob) => ob.asc().nullsLast())
    .orderBy('meetings.meets_on')
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: referenceOf(r),
    title: r.title,
    type: r.question_type,
    meeting: { id: r.meeting_id, title: r.meeting_title, meetsOn: r.meets_on },
    askedOn: r.asked_on,
    dueOn: r.due_on,
    answeringBodyId: r.answering_body_id,
  }));
}

export interface SubmittedDraft {
  draftId: number;
  kind: AnswerKind;
  body: string;
  correctionNote: string | null;
  author: { id: number; name: string } | null;
  updatedAt: Date;
  question: { id: number; reference: string | null; title: string; dueOn: string | null };
}

/** Drafts waiting for the Mayor's office to approve or return, longest waiting first. */
export async function submittedDrafts(db: Db, actor: Actor): Promise<SubmittedDraft[]> {
  requireRole(actor, ['approver'], "Only the Mayor's office can see drafts waiting for approval.");
  const rows = await db
    .selectFrom('answer_drafts')
    .innerJoin('questions', 'questions.id', 'answer_drafts.question_id')
    .leftJoin('users', 'users.id', 'answer_drafts.author_id')
    .select([
      'answer_drafts.id',
      'answer_drafts.kind',
      'answer_drafts.body',
      'answer_drafts.correction_note',
      'answer_drafts.updated_at',
      'users.id as author_id',
      'users.display_name as author_name',
      'questions.id as question_id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.due_on',
    ])
    .where('answer_drafts.state', '=', 'submitted')
    .orderBy('answer_drafts.updated_at')
    .orderBy('answer_drafts.id')
    .execute();
  return rows.map((r) => ({
    draftId: r.id,
    kind: r.kind,
    body: r.body,
    correctionNote: r.correction_note,
    author: r.author_id !== null && r.author_name !== null ? { id: r.author_id, name: r.author_name } : null,
    updatedAt: r.updated_at,
    question: { id: r.question_id, reference: referenceOf(r), title: r.title, dueOn: r.due_on },
  }));
}

export interface OfficerQueueEntry {
  questionId: number;
  reference: string | null;
  title: string;
  type: QuestionType;
  dueOn: string | null;
  /** Past its deadline with no substantive answer. */
  overdue: boolean;
  allocatedAt: Date;
  /** The officer named on the allocation, if any (otherwise anyone in the body). */
  officer: { id: number; name: string } | null;
  hasHoldingAnswer: boolean;
  openDraft: { id: number; state: DraftState; kind: AnswerKind } | null;
}

/**
 * An officer's work: questions currently allocated to their body or to them that still need an answer (or
 * have a draft in progress, a correction say). Overdue first, then by deadline, undated last.
 */
export async function officerQueue(db: Db, actor: Actor, options: { now?: Date } = {}): Promise<OfficerQueueEntry[]> {
  requireRole(actor, ['officer'], 'Only officers have a queue of questions to answer.');
  return openAllocations(db, londonDate(options.now ?? new Date()), actor);
}

/**
 * Questions currently allocated that still need work, with their answering body: an officer's (theirs or their
 * body's) when `officer` is given, otherwise every body's (the Mayor's office's view). Overdue first, then by
 * deadline, undated last. Callers check who may see which.
 */
export async function openAllocations(db: Db, today: string, officer?: Actor): Promise<(OfficerQueueEntry & { answeringBody: { id: number; name: string } })[]> {
  let query = db
    .selectFrom('allocations')
    .innerJoin('questions', 'questions.id', 'allocations.question_id')
    .innerJoin('organisations as body', 'body.id', 'allocations.answering_body_id')
    .leftJoin('users as officer', 'officer.id', 'allocations.officer_id')
    .select((eb) => [
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.question_type',
      'questions.due_on',
      'allocations.allocated_at',
      'body.id as body_id',
      'body.name as body_name',
      'officer.id as officer_id',
      'officer.display_name as officer_name',
      eb
        .exists(
          eb
            .selectFrom('answer_versions')
            .select('answer_versions.id')
            .whereRef('answer_versions.question_id', '=', 'questions.id')
            .where('answer_versions.kind', 'in', ['substantive', 'correction']),
        )
        .as('answered'),
      eb
        .exists(
          eb.selectFrom('answer_versions').select('answer_versions.id').whereRef('answer_versions.question_id', '=', 'questions.id').where('answer_versions.kind', '=', 'holding'),
        )
        .as('has_holding'),
    ])
    .where('allocations.ended_at', 'is', null)
    .where('questions.state', '=', 'accepted');
  if (officer) {
    query = query.where((eb) => {
      const mine = [eb('allocations.officer_id', '=', officer.userId)];
      if (officer.organisationId !== null) mine.push(eb('allocations.answering_body_id', '=', officer.organisationId));
      return eb.or(mine);
    });
  }
  const rows = await query.execute();
  const ids = rows.map((r) => r.id);
  const drafts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('answer_drafts')
          .select(['id', 'question_id', 'state', 'kind'])
          .where('question_id', 'in', ids)
          .where('state', 'in', OPEN_DRAFT_STATES)
          .execute();
  const entries: (OfficerQueueEntry & { answeringBody: { id: number; name: string } })[] = [];
  for (const r of rows) {
    const draft = drafts.find((d) => d.question_id === r.id);
    if (r.answered && !draft) continue;
    entries.push({
      questionId: r.id,
      reference: referenceOf(r),
      title: r.title,
      type: r.question_type,
      dueOn: r.due_on,
      overdue: !r.answered && r.due_on !== null && r.due_on < today,
      allocatedAt: r.allocated_at,
      officer: r.officer_id !== null && r.officer_name !== null ? { id: r.officer_id, name: r.officer_name } : null,
      hasHoldingAnswer: Boolean(r.has_holding),
      openDraft: draft ? { id: draft.id, state: draft.state, kind: draft.kind } : null,
      answeringBody: { id: r.body_id, name: r.body_name },
    });
  }
  return entries.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') ||
      a.questionId - b.questionId,
  );
}
