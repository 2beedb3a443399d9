// What a member (or staff acting for them) does to their own questions: draft, edit, table, withdraw.
import { z } from 'zod';
import { memberPersonId, type Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import type { Question, QuestionType } from '../db/schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { bodyText, fieldError, id, idList, parseInput, reasonText, titleText } from './input.ts';
import { decide } from './lifecycle.ts';
import { checkTopics, replaceTopics, sameTopics, topicIdsOf } from './question-topics.ts';
import {
  actorOnlyFacts,
  allow,
  findMeeting,
  lockQuestion,
  meetingFacts,
  nowOf,
  questionFacts,
  requireAllowed,
  rulesForMeeting,
  type WorkflowOptions,
} from './workflow.repository.ts';

const askedType = z.enum(['written', 'oral'], { error: 'Choose written or oral' });

export const CreateDraftInput = z.object({
  meetingId: id('the meeting the question is for'),
  questionType: askedType,
  title: titleText(),
  body: bodyText(),
  topicIds: idList('topics').optional(),
  followUpOfId: id('the question this follows up').optional(),
});

export const EditDraftInput = z
  .object({
    questionId: id('a question'),
    meetingId: id('the meeting the question is for').optional(),
    questionType: askedType.optional(),
    title: titleText().optional(),
    body: bodyText().optional(),
    topicIds: idList('topics').optional(),
  })
  .refine((v) => [v.meetingId, v.questionType, v.title, v.body, v.topicIds].some((value) => value !== undefined), {
    error: 'Change at least one thing',
    path: ['input'],
  });

export const QuestionIdInput = z.object({ questionId: id('a question') });

export const WithdrawInput = z.object({
  questionId: id('a question'),
  reason: reasonText('a reason').optional(),
});

/** A member starts a question for a meeting. Drafts are private to the member and their staff. */
export async function createDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof CreateDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number }> {
  const about = 'The question';
  const data = parseInput(CreateDraftInput, input, about);
  const now = nowOf(options);
  const meeting = await findMeeting(trx, data.meetingId);
  const decision = decide('createDraft', actorOnlyFacts(actor, { meeting: meeting ? meetingFacts(meeting, now) : null }));
  if (!decision.ok && decision.code === 'forbidden') requireAllowed(decision);
  if (!meeting) throw fieldError('meetingId', 'Choose a meeting from the list', about);
  requireAllowed(decision);
  const askerId = memberPersonId(actor);
  if (askerId === null) throw new Error('a member-side actor without a member');
  const topicIds = data.topicIds ?? [];
  await checkTopics(trx, topicIds, about);
  if (data.followUpOfId !== undefined) {
    const original = await trx
      .selectFrom('questions')
      .select('id')
      .where('id', '=', data.followUpOfId)
      .where('state', 'in', ['accepted', 'withdrawn'])
      .where('reference_number', 'is not', null)
      .executeTakeFirst();
    if (!original) throw fieldError('followUpOfId', 'Choose a published question to follow up', about);
  }

  const { id: questionId } = await trx
    .insertInto('questions')
    .values({
      question_type: data.questionType,
      state: 'draft',
      title: data.title,
      body: data.body,
      asker_id: askerId,
      meeting_id: meeting.id,
      follow_up_of_id: data.followUpOfId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceTopics(trx, questionId, topicIds);
  await recordAudit(trx, actor, {
    action: 'question.drafted',
    recordType: 'question',
    recordId: questionId,
    fromState: null,
    toState: 'draft',
    details: { meetingId: meeting.id, questionType: data.questionType },
  });
  return { questionId };
}

/** Edits a draft question. Returns the fields that changed; an edit that changes nothing writes nothing. */
export async function editDraft(
  trx: Db,
  actor: Actor,
  input: z.input<typeof EditDraftInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number; changed: string[] }> {
  const about = 'The question';
  const data = parseInput(EditDraftInput, input, about);
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const movingMeeting = data.meetingId !== undefined && data.meetingId !== question.meeting_id;
  const target = movingMeeting && data.meetingId !== undefined ? await findMeeting(trx, data.meetingId) : undefined;
  const decision = decide('editDraft', await questionFacts(trx, actor, question, now, { targetMeeting: target ? meetingFacts(target, now) : null }));
  if (!decision.ok) requireAllowed(decision);
  if (movingMeeting && !target) throw fieldError('meetingId', 'Choose a meeting from the list', about);

  const changes: Partial<Pick<Question, 'title' | 'body' | 'question_type' | 'meeting_id'>> = {};
  if (data.title !== undefined && data.title !== question.title) changes.title = data.title;
  if (data.body !== undefined && data.body !== question.body) changes.body = data.body;
  if (data.questionType !== undefined && data.questionType !== question.question_type) changes.question_type = data.questionType;
  if (target) changes.meeting_id = target.id;
  const changed: string[] = Object.keys(changes);
  let topicsChanged = false;
  if (data.topicIds !== undefined) {
    await checkTopics(trx, data.topicIds, about);
    topicsChanged = !sameTopics(await topicIdsOf(trx, question.id), data.topicIds);
    if (topicsChanged) changed.push('topic_ids');
  }
  if (changed.length === 0) return { questionId: question.id, changed };

  if (Object.keys(changes).length > 0) {
    await trx
      .updateTable('questions')
      .set({ ...changes, updated_at: now })
      .where('id', '=', question.id)
      .execute();
  }
  if (topicsChanged && data.topicIds !== undefined) await replaceTopics(trx, question.id, data.topicIds);
  await recordAudit(trx, actor, {
    action: 'question.draft_edited',
    recordType: 'question',
    recordId: question.id,
    fromState: 'draft',
    toState: 'draft',
    details: {
      changed,
      ...(changes.title !== undefined ? { oldTitle: question.title, newTitle: changes.title } : {}),
      ...(changes.meeting_id !== undefined ? { fromMeetingId: question.meeting_id, toMeetingId: changes.meeting_id } : {}),
    },
  });
  return { questionId: question.id, changed };
}

async function tablingLimitReached(trx: Db, question: Question): Promise<boolean> {
  const meeting = await findMeeting(trx, question.meeting_id);
  if (!meeting) return false;
  const rules = await rulesForMeeting(trx, meeting);
  const limits: Record<QuestionType, number | null> = {
    oral: rules.oralQuestionsPerMember,
    written: rules.writtenQuestionsPerMember,
    supplementary: null,
  };
  const limit = limits[question.question_type];
  if (limit === null) return false;
  // Two staff tabling for one member at once must not both slip under the cap: queue them on the member.
  await trx.selectFrom('people').select('id').where('id', '=', question.asker_id).forUpdate().execute();
  const row = await trx
    .selectFrom('questions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asker_id', '=', question.asker_id)
    .where('meeting_id', '=', question.meeting_id)
    .where('question_type', '=', question.question_type)
    .where('state', 'in', ['tabled', 'accepted'])
    .executeTakeFirstOrThrow();
  return Number(row.n) >= limit;
}

/** Puts a draft question down for its meeting, before the tabling cut-off. */
export async function tableQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof QuestionIdInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number }> {
  const data = parseInput(QuestionIdInput, input, 'The question');
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const facts = await questionFacts(trx, actor, question, now);
  // Only count against the cap once the actor is known to be allowed to table this question at all.
  if (facts.ownsQuestion && question.state === 'draft') facts.tablingLimitReached = await tablingLimitReached(trx, question);
  const to = allow('table', facts);
  await trx.updateTable('questions').set({ state: 'tabled', tabled_at: now, updated_at: now }).where('id', '=', question.id).execute();
  await recordAudit(trx, actor, {
    action: 'question.tabled',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: { meetingId: question.meeting_id },
  });
  return { questionId: question.id };
}

/** The member withdraws a tabled or accepted question that has not been answered. */
export async function withdrawQuestion(
  trx: Db,
  actor: Actor,
  input: z.input<typeof WithdrawInput>,
  options: WorkflowOptions = {},
): Promise<{ questionId: number }> {
  const data = parseInput(WithdrawInput, input, 'The withdrawal');
  const now = nowOf(options);
  const question = await lockQuestion(trx, data.questionId);
  const to = allow('withdraw', await questionFacts(trx, actor, question, now));
  await trx
    .updateTable('questions')
    .set({ state: 'withdrawn', withdrawn_at: now, withdrawal_reason: data.reason ?? null, updated_at: now })
    .where('id', '=', question.id)
    .execute();
  await recordAudit(trx, actor, {
    action: 'question.withdrawn',
    recordType: 'question',
    recordId: question.id,
    fromState: question.state,
    toState: to,
    details: data.reason !== undefined ? { reason: data.reason } : {},
  });
  return { questionId: question.id };
}
