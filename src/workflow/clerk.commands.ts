// What the clerk does to tabled questions: accept (numbering them), reject, correct, move, and mark as asked.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { londonDate } from '../calendar/london-time.ts';
import { yearOf } from '../calendar/iso-date.ts';
import type { Db } from '../db/database.ts';
import type { Meeting, Question } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { allocateReference } from '../questions/reference.repository.ts';
import { formatReference } from '../questions/reference.ts';
import { fieldError, id, idList, parseInput, reasonText, titleText } from './input.ts';
import { decide } from './lifecycle.ts';
import { checkTopics, replaceTopics, sameTopics, topicIdsOf } from './question-topics.ts';
import { acceptedMail, mailAsker, rejectedMail } from './notify.ts';
import {
  actorOnlyFacts,
  allow,
  findMeeting,
  lockQuestion,
  meetingFacts,
  nowOf,
  questionFacts,
  referenceOf,
  requireAllowed,
  rulesForMeeting,
  type WorkflowOptions,
} from './workflow.repository.ts';

export const AcceptInput = z.object({ questionId: id('a question') });

export const RejectInput = z.object({
  questionId: id('a question'),
  reason: reasonText('the reason for rejecting the question'),
});

export const ClerkEditInput = z
  .object({
    questionId: id('a question'),
    title: titleText().optional(),
    topicIds: idList('topics').optional(),
  })
  .refine((v) => v.title !== undefined || v.topicIds !== undefined, { error: 'Change the title or the topics', path: ['input'] });

export const MoveInput = z.object({
  questionId: id('a question'),
  meetingId: id('the meeting to move the question to'),
});

export const MarkAskedInput = z
  .object({
    meetingId: id('a meeting'),
    /** Oral questions taken at the meeting: answered there, so no written deadline. */
    reachedQuestionIds: idList('oral questions reached').optional(),
    /** Oral questions the meeting ran out of time for: answered in writing by the deadline. */
    notReachedQuestionIds: idList('oral questions not reached').optional(),
  })
  .refine((v) => !(v.reachedQuestionIds ?? []).some((q) => (v.notReachedQuestionIds ?? []).includes(q)), {
    error: 'A question cannot be both reached and not reached',
    path: ['notReachedQuestionIds'],
  });

async function meetingOf(trx: Db, question: Question): Promise<Meeting> {
  const meeting = await findMeeting(trx, question.meeting_id);
  if (!meeting) throw new Error(`question ${question.id} has no meeting`);
  return meeting;
}

/** The clerk accepts a tabled question: it takes the next reference of the year (in London) and becomes public. */
export async function acceptQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof AcceptInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; reference: string }> {
  const data = parseInput(AcceptInput, input, 'The acceptance');
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const to = allow('accept', await questionFacts(trx, actor, question, now));
  const { year, number } = await allocateReference(trx, yearOf(londonDate(now)));
  await trx
    .updateTable('questions')
    .set({ state: 'accepted', reference_year: year, reference_number: number, decided_at: now, updated_at: now })
    .where('id', '=', question.id)
    .execute();
  const reference = formatReference(year, number);
  await recordAudit(trx, actor, {
    action: 'question.accepted',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: { reference },
  });
  const meeting = await meetingOf(trx, question);
  await mailAsker(
    trx,
    question.asker_id,
    acceptedMail(
      { title: question.title, reference, referenceYear: year, referenceNumber: number, meetingTitle: meeting.title, meetsOn: meeting.meets_on },
      options,
    ),
    options,
  );
  return { questionId: question.id, reference };
}

/** The clerk rejects a tabled question, giving the member a reason. Rejected questions never become public. */
export async function rejectQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof RejectInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number }> {
  const data = parseInput(RejectInput, input, 'The rejection');
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const to = allow('reject', await questionFacts(trx, actor, question, now));
  await trx
    .updateTable('questions')
    .set({ state: 'rejected', rejection_reason: data.reason, decided_at: now, updated_at: now })
    .where('id', '=', question.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'question.rejected',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: { reason: data.reason },
  });
  const meeting = await meetingOf(trx, question);
  await mailAsker(trx, question.asker_id, rejectedMail({ title: question.title, meetingTitle: meeting.title, meetsOn: meeting.meets_on }, data.reason), options);
  return { questionId: question.id };
}

/** The clerk corrects a tabled or accepted question's title or topics; the old and new values go in the audit trail. */
export async function clerkEditQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof ClerkEditInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; changed: string[] }> {
  const about = 'The correction';
  const data = parseInput(ClerkEditInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const to = allow('clerkEdit', await questionFacts(trx, actor, question, now));
  if (data.topicIds !== undefined) await checkTopics(trx, data.topicIds, about);
  const oldTopicIds = await topicIdsOf(trx, question.id);
  const titleChanged = data.title !== undefined && data.title !== question.title;
  const topicsChanged = data.topicIds !== undefined && !sameTopics(data.topicIds, oldTopicIds);
  const changed = [...(titleChanged ? ['title'] : []), ...(topicsChanged ? ['topic_ids'] : [])];
  if (changed.length === 0) return { questionId: question.id, changed };

  if (titleChanged && data.title !== undefined) {
    await trx.updateTable('questions').set({ title: data.title, updated_at: now }).where('id', '=', question.id).execute();
  }
  if (topicsChanged && data.topicIds !== undefined) await replaceTopics(trx, question.id, data.topicIds);
  await recordAudit(trx, actor, {
    action: 'question.clerk_edited',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: {
      ...(titleChanged ? { oldTitle: question.title, newTitle: data.title } : {}),
      ...(topicsChanged ? { oldTopicIds, newTopicIds: data.topicIds } : {}),
    },
  });
  return { questionId: question.id, changed };
}

/** The clerk moves a question that has not been asked yet to another meeting that has not been held. */
export async function moveQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof MoveInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; meetingId: number }> {
  const about = 'The move';
  const data = parseInput(MoveInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const target = await findMeeting(trx, data.meetingId);
  const decision = decide('move', await questionFacts(trx, actor, question, now, { targetMeeting: target ? meetingFacts(target, now) : null }));
  if (!decision.ok && (decision.code === 'forbidden' || target)) requireAllowed(decision);
  if (!target) throw fieldError('meetingId', 'Choose a meeting from the list', about);
  if (target.id === question.meeting_id) throw fieldError('meetingId', 'The question is already for that meeting', about);
  const current = await meetingOf(trx, question);
  if (target.assembly_id !== current.assembly_id) throw fieldError('meetingId', "Choose one of this assembly's meetings", about);
  const to = requireAllowed(decision);
  await trx.updateTable('questions').set({ meeting_id: target.id, updated_at: now }).where('id', '=', question.id).execute();
  await recordAudit(trx, actor, {
    action: 'question.moved',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: { fromMeetingId: question.meeting_id, toMeetingId: target.id },
  });
  return { questionId: question.id, meetingId: target.id };
}

export interface AskedQuestion {
  questionId: number;
  reference: string | null;
  askedOn: string;
  dueOn: string | null;
  notReached: boolean;
}

/**
 * After a meeting, the clerk records that its accepted questions were asked: asked_on is the meeting day and
 * written answers fall due by the statutory deadline. An oral question reached at the meeting was answered
 * there (no deadline); one not reached is answered in writing like any other. Whether each oral question was
 * reached comes from the input, else from the Priority Order Paper.
 */
export async function markAsked(
  trx: Db,
  actor: Actor,
  input: z.input<typeof MarkAskedInput>,
  options: WorkflowOptions = {},
): Promise<{ meetingId: number; questions: AskedQuestion[] }> {
  const about = 'Marking questions as asked';
  const data = parseInput(MarkAskedInput, input, about);
  const now = nowOf(options);
  const meeting = await findMeeting(trx, data.meetingId);
  if (!meeting) throw new AppError('not_found', `There is no meeting ${data.meetingId}.`);
  // The clerk, a meeting whose day has come: checked once for the meeting before touching any question.
  allow('markAsked', actorOnlyFacts(actor, { questionState: 'accepted', meeting: meetingFacts(meeting, now) }));

  // Locked in id order, as every other command locks one question: no deadlocks.
  const candidates = await trx
    .selectFrom('questions')
    .selectAll()
    .where('meeting_id', '=', meeting.id)
    .where('state', '=', 'accepted')
    .where('asked_on', 'is', null)
    .where('question_type', '<>', 'supplementary')
    .orderBy('id')
    .forUpdate()
    .execute();
  if (candidates.length === 0) {
    throw new AppError('conflict', 'There are no accepted questions for this meeting waiting to be marked as asked.');
  }

  const reached = new Set(data.reachedQuestionIds ?? []);
  const notReached = new Set(data.notReachedQuestionIds ?? []);
  const oral = candidates.filter((q) => q.question_type === 'oral');
  const oralIds = new Set(oral.map((q) => q.id));
  for (const [field, ids] of [['reachedQuestionIds', reached], ['notReachedQuestionIds', notReached]] as const) {
    const stray = [...ids].find((questionId) => !oralIds.has(questionId));
    if (stray !== undefined) throw fieldError(field, `Question ${stray} is not an oral question of this meeting waiting to be marked as asked`, about);
  }
  const orderPaper = await trx
    .selectFrom('order_paper_entries')
    .select(['question_id', 'reached'])
    .where('meeting_id', '=', meeting.id)
    .where('reached', 'is not', null)
    .execute();
  const reachedOnPaper = new Map(orderPaper.map((e) => [e.question_id, e.reached]));
  const wasReached = (q: Question): boolean | null =>
    reached.has(q.id) ? true : notReached.has(q.id) ? false : (reachedOnPaper.get(q.id) ?? null);
  const unknown = oral.find((q) => wasReached(q) === null);
  if (unknown) {
    throw fieldError('reachedQuestionIds', `Say whether oral question ${referenceOf(unknown) ?? unknown.id} was reached at the meeting`, about);
  }

  const rules = await rulesForMeeting(trx, meeting);
  const askedOn = meeting.meets_on;
  const dueOn = statutoryDeadline(askedOn, rules.answerDeadlineWorkingDays);
  const marked: AskedQuestion[] = [];
  for (const question of candidates) {
    const to = allow('markAsked', await questionFacts(trx, actor, question, now));
    const answeredAtMeeting = question.question_type === 'oral' && wasReached(question) === true;
    const row: AskedQuestion = {
      questionId: question.id,
      reference: referenceOf(question),
      askedOn,
      dueOn: answeredAtMeeting ? null : dueOn,
      notReached: question.question_type === 'oral' && !answeredAtMeeting,
    };
    await trx
      .updateTable('questions')
      .set({ asked_on: row.askedOn, due_on: row.dueOn, not_reached: row.notReached, updated_at: now })
      .where('id', '=', question.id)
      .execute();
    await recordAudit(trx, actor, {
      action: 'question.asked',
      recordType: 'question',
      recordId: question.id,
      fromState: question.state,
      toState: to,
      details: { meetingId: meeting.id, askedOn: row.askedOn, dueOn: row.dueOn, notReached: row.notReached },
    });
    marked.push(row);
  }
  return { meetingId: meeting.id, questions: marked };
}
