// What the clerk records of a meeting: who attended, what was said (transcript turns), supplementaries, which oral
// questions were reached, and the oral answers. Each command runs in the caller's transaction and audits each change.
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import type { AttendanceCapacity, Meeting, Question } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { markAsked, MarkAskedInput, type AskedQuestion } from '../workflow/clerk.commands.ts';
import { bodyText, fieldError, id, parseInput } from '../workflow/input.ts';
import { meetingFacts, nowOf, referenceOf, type WorkflowOptions } from '../workflow/workflow.repository.ts';
import { attendanceCandidates } from './record.queries.ts';
import {
  attendanceChange,
  isAnswering,
  nextSupplementaryNumber,
  oralAnswerText,
  recordRefusal,
  supplementaryTitle,
  type RecordAction,
  type RecordFacts,
} from './record.rules.ts';

const ATTENDANCE_MAX = 500;

export const AttendanceInput = z.object({
  meetingId: id('a meeting'),
  personIds: z
    .array(id('who attended'), { error: 'Choose who attended' })
    .max(ATTENDANCE_MAX, { message: `Choose at most ${ATTENDANCE_MAX} people` })
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b)),
});

export const TurnInput = z.object({
  meetingId: id('a meeting'),
  questionId: id('the question this was said on'),
  speakerId: id('who spoke'),
  text: bodyText('what was said'),
});

export const RemoveTurnInput = z.object({
  meetingId: id('a meeting'),
  turnId: id('a transcript turn'),
});

export const SupplementaryInput = z.object({
  meetingId: id('a meeting'),
  oralQuestionId: id('the oral question the supplementary follows'),
  askerId: id('the member who asked the supplementary'),
  text: bodyText('the supplementary question as it was asked'),
});

export const OralAnswerInput = z.object({
  meetingId: id('a meeting'),
  questionId: id('an oral question'),
});

export const ReachedInput = MarkAskedInput;

const DEFAULT_LABELS: Record<'mayor' | 'deputy_mayor' | 'commissioner', string> = {
  mayor: 'Mayor',
  deputy_mayor: 'Deputy Mayor',
  commissioner: 'Commissioner',
};

function requireClerk(actor: Actor): void {
  if (actor.role !== 'clerk') throw new AppError('forbidden', 'Only the clerk can record what happened at a meeting.');
}

/** The meeting row, locked: recording actions on one meeting run one at a time (turn positions stay unique). */
async function lockMeeting(trx: Db, meetingId: number): Promise<Meeting> {
  const meeting = await trx.selectFrom('meetings').selectAll().where('id', '=', meetingId).forUpdate().executeTakeFirst();
  if (!meeting) throw new AppError('not_found', `There is no meeting ${meetingId}.`);
  return meeting;
}

function refuse(action: RecordAction, facts: RecordFacts, about: string): void {
  const refusal = recordRefusal(action, facts);
  if (!refusal) return;
  if (refusal.code === 'validation_failed') throw fieldError(refusal.field ?? 'input', refusal.message, about);
  throw new AppError(refusal.code, refusal.message);
}

async function oralAnswerPublished(trx: Db, questionId: number): Promise<boolean> {
  const row = await trx.selectFrom('answer_versions').select('id').where('question_id', '=', questionId).where('delivery', '=', 'oral').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether anything was said on an oral question (or on one of its supplementaries). */
async function exchangeHasTurns(trx: Db, oralQuestionId: number): Promise<boolean> {
  const row = await trx
    .selectFrom('transcript_turns')
    .leftJoin('questions', 'questions.id', 'transcript_turns.question_id')
    .select('transcript_turns.id')
    .where((eb) => eb.or([eb('transcript_turns.question_id', '=', oralQuestionId), eb('questions.parent_question_id', '=', oralQuestionId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The facts the rules need about a question (a supplementary answers for its oral question's exchange). */
async function questionRecordFacts(trx: Db, meeting: Meeting, question: Question | undefined, now: Date): Promise<RecordFacts> {
  const facts = meetingFacts(meeting, now);
  const base: RecordFacts = { meeting: { cancelled: facts.cancelled, started: facts.started }, question: null };
  if (!question) return base;
  const oralId = question.question_type === 'supplementary' ? (question.parent_question_id ?? question.id) : question.id;
  return {
    ...base,
    question: {
      type: question.question_type,
      state: question.state,
      ofMeeting: question.meeting_id === meeting.id,
      asked: question.asked_on !== null,
      notReached: question.not_reached,
      exchangePublished: await oralAnswerPublished(trx, oralId),
      hasTurns: await exchangeHasTurns(trx, oralId),
    },
  };
}

async function findQuestion(trx: Db, questionId: number): Promise<Question | undefined> {
  return trx.selectFrom('questions').selectAll().where('id', '=', questionId).forUpdate().executeTakeFirst();
}

async function attendee(trx: Db, meetingId: number, personId: number) {
  return trx
    .selectFrom('meeting_attendance')
    .innerJoin('people', 'people.id', 'meeting_attendance.person_id')
    .select(['people.id', 'people.name', 'meeting_attendance.capacity'])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .where('meeting_attendance.person_id', '=', personId)
    .executeTakeFirst();
}

async function personName(trx: Db, personId: number): Promise<string | undefined> {
  return (await trx.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst())?.name;
}

export interface AttendanceResult {
  meetingId: number;
  added: number[];
  removed: number[];
}

/**
 * The clerk records who attended: the assembly's members and the holders of executive office on the meeting day.
 * Someone who spoke, or asked a supplementary, stays on the list: the transcript must name only those present.
 */
export async function recordAttendance(
  trx: Db,
  actor: Actor,
  input: z.input<typeof AttendanceInput>,
  options: WorkflowOptions = {},
): Promise<AttendanceResult> {
  const about = 'The attendance';
  const data = parseInput(AttendanceInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  refuse('recordAttendance', await questionRecordFacts(trx, meeting, undefined, now), about);

  const candidates = await attendanceCandidates(trx, meeting);
  const byId = new Map(candidates.map((c) => [c.personId, c]));
  const stray = data.personIds.find((personId) => !byId.has(personId));
  if (stray !== undefined) {
    const name = await personName(trx, stray);
    throw fieldError('personIds', `${name ?? `Person ${stray}`} was not a member or office holder on the day of the meeting`, about);
  }
  const current = candidates.filter((c) => c.attending).map((c) => c.personId);
  const { added, removed } = attendanceChange(current, data.personIds);
  for (const personId of removed) {
    const spoke = await trx
      .selectFrom('transcript_turns')
      .select('id')
      .where('meeting_id', '=', meeting.id)
      .where('speaker_id', '=', personId)
      .limit(1)
      .executeTakeFirst();
    const askedSupplementary = await trx
      .selectFrom('questions')
      .select('id')
      .where('meeting_id', '=', meeting.id)
      .where('question_type', '=', 'supplementary')
      .where('asker_id', '=', personId)
      .limit(1)
      .executeTakeFirst();
    if (spoke || askedSupplementary) {
      const name = byId.get(personId)?.name ?? `Person ${personId}`;
      throw fieldError('personIds', `${name} spoke at the meeting, so they must stay on the attendance list; remove what they said from the transcript first`, about);
    }
  }
  if (added.length === 0 && removed.length === 0) return { meetingId: meeting.id, added, removed };

  if (added.length > 0) {
    await trx
      .insertInto('meeting_attendance')
      .values(added.map((personId) => ({ meeting_id: meeting.id, person_id: personId, capacity: byId.get(personId)?.capacity ?? 'guest' })))
      .execute();
  }
  if (removed.length > 0) {
    await trx.deleteFrom('meeting_attendance').where('meeting_id', '=', meeting.id).where('person_id', 'in', removed).execute();
  }
  await recordAudit(trx, actor, {
    action: 'meeting.attendance_recorded',
    recordType: 'meeting',
    recordId: meeting.id,
    details: { added, removed },
  });
  return { meetingId: meeting.id, added, removed };
}

export interface RecordedTurn {
  id: number;
  meetingId: number;
  questionId: number | null;
  position: number;
  speaker: { id: number; name: string; capacity: AttendanceCapacity };
  text: string;
}

async function insertTurn(
  trx: Db,
  actor: Actor,
  meeting: Meeting,
  questionId: number,
  speaker: { id: number; name: string; capacity: AttendanceCapacity },
  text: string,
): Promise<RecordedTurn> {
  const last = await trx
    .selectFrom('transcript_turns')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('meeting_id', '=', meeting.id)
    .executeTakeFirst();
  const position = (last?.position ?? 0) + 1;
  const row = await trx
    .insertInto('transcript_turns')
    .values({ meeting_id: meeting.id, question_id: questionId, position, speaker_id: speaker.id, body: text })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'transcript.turn_added',
    recordType: 'transcript',
    recordId: row.id,
    details: { meetingId: meeting.id, questionId, speakerId: speaker.id, position },
  });
  return { id: row.id, meetingId: meeting.id, questionId, position, speaker, text };
}

/** The clerk adds what someone at the meeting said on an oral question or one of its supplementaries. */
export async function addTranscriptTurn(trx: Db, actor: Actor, input: z.input<typeof TurnInput>, options: WorkflowOptions = {}): Promise<RecordedTurn> {
  const about = 'The transcript';
  const data = parseInput(TurnInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  const question = await findQuestion(trx, data.questionId);
  refuse('addTurn', await questionRecordFacts(trx, meeting, question, now), about);
  const speaker = await attendee(trx, meeting.id, data.speakerId);
  if (!speaker) {
    const name = await personName(trx, data.speakerId);
    throw fieldError(
      'speakerId',
      name ? `${name} was not at this meeting; only people on the attendance list can be recorded as speaking` : 'Choose who spoke from the people at the meeting',
      about,
    );
  }
  return insertTurn(trx, actor, meeting, data.questionId, speaker, data.text);
}

/** The clerk removes a turn recorded in error, until the oral answer it belongs to is published. */
export async function removeTranscriptTurn(
  trx: Db,
  actor: Actor,
  input: z.input<typeof RemoveTurnInput>,
  options: WorkflowOptions = {},
): Promise<{ turnId: number; questionId: number | null }> {
  const about = 'Removing from the transcript';
  const data = parseInput(RemoveTurnInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  const turn = await trx
    .selectFrom('transcript_turns')
    .selectAll()
    .where('id', '=', data.turnId)
    .where('meeting_id', '=', meeting.id)
    .forUpdate()
    .executeTakeFirst();
  if (!turn) throw new AppError('not_found', 'That turn is not in the transcript of this meeting.');
  const question = turn.question_id === null ? undefined : await findQuestion(trx, turn.question_id);
  if (question) refuse('removeTurn', await questionRecordFacts(trx, meeting, question, now), about);
  else refuse('recordAttendance', await questionRecordFacts(trx, meeting, undefined, now), about);
  await trx.deleteFrom('transcript_turns').where('id', '=', turn.id).execute();
  await recordAudit(trx, actor, {
    action: 'transcript.turn_removed',
    recordType: 'transcript',
    recordId: turn.id,
    details: { meetingId: meeting.id, questionId: turn.question_id, speakerId: turn.speaker_id, position: turn.position, text: turn.body },
  });
  return { turnId: turn.id, questionId: turn.question_id };
}

export interface RecordedSupplementary {
  id: number;
  oralQuestionId: number;
  number: number;
  title: string;
  asker: { id: number; name: string };
  askedOn: string;
  turn: RecordedTurn;
}

/**
 * The clerk records a supplementary asked aloud after an oral question: a question of its own, numbered under the
 * oral question and titled "<title> (Supplementary) [n]", asked by a member present, with the words as its first turn.
 */
export async function addSupplementary(
  trx: Db,
  actor: Actor,
  input: z.input<typeof SupplementaryInput>,
  options: WorkflowOptions = {},
): Promise<RecordedSupplementary> {
  const about = 'The supplementary question';
  const data = parseInput(SupplementaryInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  const oral = await findQuestion(trx, data.oralQuestionId);
  refuse('addSupplementary', await questionRecordFacts(trx, meeting, oral, now), about);
  if (!oral) throw new Error('unreachable: the rules refuse a missing question');
  const asker = await attendee(trx, meeting.id, data.askerId);
  if (!asker || asker.capacity !== 'member') {
    const name = await personName(trx, data.askerId);
    const message = !name
      ? 'Choose the member who asked the supplementary'
      : asker
        ? `${name} attended as ${asker.capacity.replace('_', ' ')}; supplementaries are asked by members of the assembly`
        : `${name} was not at this meeting; only members on the attendance list can ask a supplementary`;
    throw fieldError('askerId', message, about);
  }
  const used = await trx.selectFrom('questions').select('supplementary_number').where('parent_question_id', '=', oral.id).execute();
  const number = nextSupplementaryNumber(used.map((u) => u.supplementary_number ?? 0));
  const title = supplementaryTitle(oral.title, number);
  const row = await trx
    .insertInto('questions')
    .values({
      question_type: 'supplementary',
      state: 'accepted',
      title,
      body: data.text,
      asker_id: asker.id,
      asked_of_id: oral.asked_of_id,
      meeting_id: meeting.id,
      answering_body_id: oral.answering_body_id,
      parent_question_id: oral.id,
      supplementary_number: number,
      asked_on: meeting.meets_on,
      decided_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'question.supplementary_recorded',
    recordType: 'question',
    recordId: row.id,
    fromState: null,
    toState: 'accepted',
    details: { meetingId: meeting.id, oralQuestionId: oral.id, number, title },
  });
  const turn = await insertTurn(trx, actor, meeting, row.id, asker, data.text);
  return { id: row.id, oralQuestionId: oral.id, number, title, asker: { id: asker.id, name: asker.name }, askedOn: meeting.meets_on, turn };
}

export interface PublishedOralAnswer {
  answerVersionId: number;
  questionId: number;
  version: number;
  answeredBy: { id: number; name: string; label: string };
  text: string;
  publishedAt: Date;
}

/**
 * The clerk publishes the oral answer to a reached question: what the Mayor (or whoever answered for the executive)
 * said, as an answer version delivered orally. From then on the exchange and its supplementaries are fixed.
 */
export async function publishOralAnswer(
  trx: Db,
  actor: Actor,
  input: z.input<typeof OralAnswerInput>,
  options: WorkflowOptions = {},
): Promise<PublishedOralAnswer> {
  const about = 'Publishing the oral answer';
  const data = parseInput(OralAnswerInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  const question = await findQuestion(trx, data.questionId);
  refuse('publishOralAnswer', await questionRecordFacts(trx, meeting, question, now), about);
  if (!question) throw new Error('unreachable: the rules refuse a missing question');
  const turns = await trx
    .selectFrom('transcript_turns')
    .innerJoin('meeting_attendance', (join) =>
      join.onRef('meeting_attendance.meeting_id', '=', 'transcript_turns.meeting_id').onRef('meeting_attendance.person_id', '=', 'transcript_turns.speaker_id'),
    )
    .innerJoin('people', 'people.id', 'transcript_turns.speaker_id')
    .select(['transcript_turns.position', 'transcript_turns.body as text', 'meeting_attendance.capacity', 'people.id as person_id', 'people.name'])
    .where('transcript_turns.question_id', '=', question.id)
    .orderBy('transcript_turns.position')
    .execute();
  const answerer = turns.find((t) => isAnswering(t.capacity));
  const text = oralAnswerText(turns);
  if (!answerer || text === '') {
    throw new AppError('conflict', 'Nobody answering for the executive (the Mayor, a deputy mayor or a commissioner) is recorded as speaking on this question, so there is no oral answer to publish.');
  }
  const office = await trx
    .selectFrom('memberships')
    .select('label')
    .where('person_id', '=', answerer.person_id)
    .where('role', '=', answerer.capacity as 'mayor' | 'deputy_mayor' | 'commissioner')
    .where('start_date', '<=', meeting.meets_on)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', meeting.meets_on)]))
    .orderBy('start_date', 'desc')
    .executeTakeFirst();
  const label = office?.label ?? DEFAULT_LABELS[answerer.capacity as keyof typeof DEFAULT_LABELS];
  const last = await trx.selectFrom('answer_versions').select((eb) => eb.fn.max('version').as('version')).where('question_id', '=', question.id).executeTakeFirst();
  const version = (last?.version ?? 0) + 1;
  const row = await trx
    .insertInto('answer_versions')
    .values({
      question_id: question.id,
      version,
      kind: 'substantive',
      delivery: 'oral',
      body: text,
      answered_by_id: answerer.person_id,
      answered_by_label: label,
      published_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'answer_version.published',
    recordType: 'answer_version',
    recordId: row.id,
    fromState: null,
    toState: 'published',
    details: { questionId: question.id, version, kind: 'substantive', delivery: 'oral', answeredById: answerer.person_id, meetingId: meeting.id },
  });
  return { answerVersionId: row.id, questionId: question.id, version, answeredBy: { id: answerer.person_id, name: answerer.name, label }, text, publishedAt: now };
}

/**
 * The clerk records which oral questions were reached, which (through markAsked) marks every accepted question of
 * the meeting as asked on the meeting day: written answers, and answers to oral questions not reached, fall due by
 * the statutory deadline counted from that day. The Priority Order Paper keeps the reached mark too.
 */
export async function recordReached(
  trx: Db,
  actor: Actor,
  input: z.input<typeof ReachedInput>,
  options: WorkflowOptions = {},
): Promise<{ meetingId: number; questions: AskedQuestion[] }> {
  const about = 'Marking questions as asked';
  const data = parseInput(ReachedInput, input, about);
  requireClerk(actor);
  const now = nowOf(options);
  const meeting = await lockMeeting(trx, data.meetingId);
  for (const questionId of data.notReachedQuestionIds ?? []) {
    // Read without a lock: markAsked locks the meeting's questions itself, in id order.
    const question = await trx.selectFrom('questions').selectAll().where('id', '=', questionId).executeTakeFirst();
    // Another meeting's question, or a meeting not yet held, is markAsked's to refuse, in its words.
    if (!question || question.meeting_id !== meeting.id) continue;
    const refusal = recordRefusal('markNotReached', await questionRecordFacts(trx, meeting, question, now));
    if (refusal?.field === 'notReachedQuestionIds') throw fieldError(refusal.field, `${refusal.message} (${referenceOf(question) ?? question.title})`, about);
  }
  const result = await markAsked(trx, actor, data, options);
  let marked = 0;
  for (const q of result.questions) {
    const updated = await trx
      .updateTable('order_paper_entries')
      .set({ reached: !q.notReached })
      .where('meeting_id', '=', meeting.id)
      .where('question_id', '=', q.questionId)
      .executeTakeFirst();
    marked += Number(updated.numUpdatedRows);
  }
  if (marked > 0) {
    await recordAudit(trx, actor, {
      action: 'order_paper.reached_recorded',
      recordType: 'order_paper',
      recordId: meeting.id,
      details: {
        reached: result.questions.filter((q) => !q.notReached && q.dueOn === null).map((q) => q.questionId),
        notReached: result.questions.filter((q) => q.notReached).map((q) => q.questionId),
      },
    });
  }
  return result;
}
