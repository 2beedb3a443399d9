// Row locks and the facts the lifecycle rules need, read inside the command's transaction.
import type { Selectable } from 'kysely';
import { memberPersonId, type Actor } from '../auth/actor.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { AnswerDraftsTable, Meeting, Question } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { formatReference } from '../questions/reference.ts';
import { decide, OPEN_DRAFT_STATES, type Decision, type DraftAction, type Facts, type MeetingFacts, type WorkflowAction } from './lifecycle.ts';

export type AnswerDraft = Selectable<AnswerDraftsTable>;

/** What every command may be told about the world around it. */
export interface WorkflowOptions {
  /** The moment of the action; defaults to the clock. Tests and replays pass their own. */
  now?: Date;
  /** The site's public address (e.g. https://answerable.example), for links in mail. Without it links are paths. */
  publicUrl?: string;
  /** The domain for Message-IDs of queued mail. */
  mailDomain?: string;
}

export function nowOf(options: WorkflowOptions): Date {
  return options.now ?? new Date();
}

/**
 * The question row, locked until the transaction ends. Every command that changes a question or one of its
 * drafts takes this lock first, so actions on one question run one at a time and always lock in the same
 * order (question, then its allocation or draft): no deadlocks.
 */
export async function lockQuestion(trx: Db, questionId: number): Promise<Question> {
  const question = await trx.selectFrom('questions').selectAll().where('id', '=', questionId).forUpdate().executeTakeFirst();
  if (!question) throw new AppError('not_found', `There is no question ${questionId}.`);
  return question;
}

/** A draft answer and its question, both locked (question first, as everywhere). */
export async function lockDraft(trx: Db, draftId: number): Promise<{ question: Question; draft: AnswerDraft }> {
  // A draft never changes question, so reading question_id before taking the locks is safe.
  const peek = await trx.selectFrom('answer_drafts').select('question_id').where('id', '=', draftId).executeTakeFirst();
  if (!peek) throw new AppError('not_found', `There is no draft answer ${draftId}.`);
  const question = await lockQuestion(trx, peek.question_id);
  const draft = await trx.selectFrom('answer_drafts').selectAll().where('id', '=', draftId).forUpdate().executeTakeFirstOrThrow();
  return { question, draft };
}

/** A question's meeting; an imported question may have none (undefined). */
export async function findMeeting(trx: Db, meetingId: number | null): Promise<Meeting | undefined> {
  if (meetingId === null) return undefined;
  return trx.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
}

export function meetingFacts(meeting: Meeting, now: Date): MeetingFacts {
  return {
    cancelled: meeting.state === 'cancelled',
    started: meeting.state === 'held' || now.getTime() >= new Date(meeting.starts_at).getTime(),
    tablingCutoffPassed: now.getTime() >= new Date(meeting.tabling_cutoff_at).getTime(),
    dayReached: londonDate(now) >= meeting.meets_on,
  };
}

export async function currentAllocation(trx: Db, questionId: number) {
  return trx
    .selectFrom('allocations')
    .selectAll()
    .where('question_id', '=', questionId)
    .where('ended_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function hasPublishedSubstantive(trx: Db, questionId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('answer_versions')
    .select('id')
    .where('question_id', '=', questionId)
    .where('kind', 'in', ['substantive', 'correction'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function hasOpenDraft(trx: Db, questionId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('answer_drafts')
    .select('id')
    .where('question_id', '=', questionId)
    .where('state', 'in', OPEN_DRAFT_STATES)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function isOnOrderPaper(trx: Db, questionId: number): Promise<boolean> {
  const row = await trx.selectFrom('order_paper_entries').select('question_id').where('question_id', '=', questionId).executeTakeFirst();
  return row !== undefined;
}

/** Facts for an actor before any question exists. */
export function actorOnlyFacts(actor: Actor, overrides: Partial<Facts> = {}): Facts {
  return {
    role: actor.role,
    questionState: null,
    ownsQuestion: false,
    meeting: null,
    targetMeeting: null,
    tablingLimitReached: false,
    asked: false,
    answeredOrally: false,
    hasPublishedSubstantive: false,
    onOrderPaper: false,
    hasCurrentAllocation: false,
    inAllocatedBody: false,
    transferToSameBody: false,
    hasOpenDraft: false,
    draftState: null,
    draftKind: null,
    ...overrides,
  };
}

/** Everything the rules can ask about a (locked) question and this actor's tie to it. */
export async function questionFacts(trx: Db, actor: Actor, question: Question, now: Date, overrides: Partial<Facts> = {}): Promise<Facts> {
  const [meeting, allocation, substantive, openDraft, onOrderPaper] = [
    await findMeeting(trx, question.meeting_id),
    await currentAllocation(trx, question.id),
    await hasPublishedSubstantive(trx, question.id),
    await hasOpenDraft(trx, question.id),
    await isOnOrderPaper(trx, question.id),
  ];
  const asked = question.asked_on !== null;
  return actorOnlyFacts(actor, {
    questionState: question.state,
    ownsQuestion: memberPersonId(actor) !== null && memberPersonId(actor) === question.asker_id,
    meeting: meeting ? meetingFacts(meeting, now) : null,
    asked,
    answeredOrally: question.question_type === 'oral' && asked && !question.not_reached,
    hasPublishedSubstantive: substantive,
    onOrderPaper,
    hasCurrentAllocation: allocation !== undefined,
    inAllocatedBody: actor.role === 'officer' && actor.organisationId !== null && allocation?.answering_body_id === actor.organisationId,
    hasOpenDraft: openDraft,
    ...overrides,
  });
}

/** Throws the refusal as an AppError (nothing has been written yet), or returns the state to move to. */
export function requireAllowed(decision: Decision): Extract<Decision, { ok: true }>['to'] {
  if (!decision.ok) throw new AppError(decision.code, decision.message);
  return decision.to;
}

export function allow(action: WorkflowAction, facts: Facts) {
  return requireAllowed(decide(action, facts));
}

/** Locks a draft and its question and asks the rules; throws the refusal, having changed nothing. */
export async function decideOnDraft(trx: Db, actor: Actor, action: DraftAction, draftId: number, now: Date) {
  const { question, draft } = await lockDraft(trx, draftId);
  const to = allow(action, await questionFacts(trx, actor, question, now, { draftState: draft.state, draftKind: draft.kind }));
  return { question, draft, to };
}

export function referenceOf(question: Pick<Question, 'reference_year' | 'reference_number'>): string | null {
  return question.reference_year !== null && question.reference_number !== null
    ? formatReference(question.reference_year, question.reference_number)
    : null;
}

/** The assembly's rule set for a meeting (London's defaults when the assembly has no row yet). */
export async function rulesForMeeting(trx: Db, meeting: Pick<Meeting, 'assembly_id'>) {
  const rules = await trx
    .selectFrom('assembly_rules')
    .select(['answer_deadline_working_days', 'oral_questions_per_member', 'written_questions_per_member'])
    .where('assembly_id', '=', meeting.assembly_id)
    .executeTakeFirst();
  return {
    answerDeadlineWorkingDays: rules?.answer_deadline_working_days ?? 3,
    oralQuestionsPerMember: rules?.oral_questions_per_member ?? null,
    writtenQuestionsPerMember: rules?.written_questions_per_member ?? null,
  };
}
