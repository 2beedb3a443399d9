// The rules for recording a meeting (attendance, transcript turns, supplementaries, oral answers): plain functions, no I/O.
import type { AttendanceCapacity, MembershipRole, QuestionState, QuestionType } from '../db/schema.ts';

export const TITLE_LIMIT = 300;

/**
 * A supplementary's title as London records it: "<title of the oral question> (Supplementary) [n]". The oral
 * question's title is shortened (with an ellipsis) when the whole would pass the title limit, so the suffix,
 * which carries the number, always survives.
 */
export function supplementaryTitle(oralTitle: string, number: number): string {
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`supplementary number must be a positive integer, got ${number}`);
  const suffix = ` (Supplementary) [${number}]`;
  const room = TITLE_LIMIT - [...suffix].length;
  const chars = [...oralTitle.trim()];
  const head = chars.length <= room ? chars.join('') : `${chars.slice(0, room - 1).join('').trimEnd()}…`;
  return `${head}${suffix}`;
}

/** The next number for a supplementary under an oral question, given the numbers already used. */
export function nextSupplementaryNumber(used: readonly number[]): number {
  return used.reduce((max, n) => Math.max(max, n), 0) + 1;
}

/** The offices whose holders answer at the meeting. */
export const ANSWERING_CAPACITIES = ['mayor', 'deputy_mayor', 'commissioner'] as const satisfies readonly AttendanceCapacity[];
export type AnsweringCapacity = (typeof ANSWERING_CAPACITIES)[number];

export function isAnswering(capacity: AttendanceCapacity): capacity is AnsweringCapacity {
  return (ANSWERING_CAPACITIES as readonly AttendanceCapacity[]).includes(capacity);
}

/**
 * The capacity someone attends in, from what they held on the meeting day: an executive office outranks a seat in
 * the assembly (the Mayor answers even if also elected to it); null when they held nothing that seats them.
 */
export function attendanceCapacity(held: readonly { role: MembershipRole; inAssembly: boolean }[]): AttendanceCapacity | null {
  for (const office of ANSWERING_CAPACITIES) if (held.some((h) => h.role === office)) return office;
  if (held.some((h) => h.role === 'member' && h.inAssembly)) return 'member';
  return null;
}

/** Who joins and who leaves the attendance list when the clerk saves it. */
export function attendanceChange(current: readonly number[], wanted: readonly number[]): { added: number[]; removed: number[] } {
  const now = new Set(current);
  const next = new Set(wanted);
  return {
    added: [...next].filter((id) => !now.has(id)).sort((a, b) => a - b),
    removed: [...now].filter((id) => !next.has(id)).sort((a, b) => a - b),
  };
}

/** The oral answer on the record: what those answering for the executive said, turn by turn, in order. */
export function oralAnswerText(turns: readonly { position: number; capacity: AttendanceCapacity; text: string }[]): string {
  return [...turns]
    .filter((t) => isAnswering(t.capacity))
    .sort((a, b) => a.position - b.position)
    .map((t) => t.text)
    .join('\n\n');
}

export const RECORD_ACTIONS = ['recordAttendance', 'addTurn', 'removeTurn', 'addSupplementary', 'publishOralAnswer', 'markNotReached'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

export interface RecordFacts {
  meeting: { cancelled: boolean; started: boolean };
  /** The question the action is about (for a supplementary's turn: the supplementary); null for attendance. */
  question: {
    type: QuestionType;
    state: QuestionState;
    /** It belongs to this meeting. */
    ofMeeting: boolean;
    /** Marked as asked at the meeting (oral: reached or not; a supplementary: always). */
    asked: boolean;
    notReached: boolean;
    /** The oral answer (of the question, or of the oral question a supplementary follows) is on the record. */
    exchangePublished: boolean;
    /** Transcript turns already recorded for it (and its supplementaries). */
    hasTurns: boolean;
  } | null;
}

export type RecordRefusal = { code: 'conflict' | 'validation_failed'; field?: string; message: string };

function meetingRefusal(meeting: RecordFacts['meeting']): RecordRefusal | null {
  if (meeting.cancelled) return { code: 'conflict', message: 'This meeting was cancelled, so there is nothing to record for it.' };
  if (!meeting.started) return { code: 'conflict', message: 'This meeting has not been held yet, so nothing can be recorded for it.' };
  return null;
}

/** Why the clerk may not take a recording action, or null when it is allowed. */
export function recordRefusal(action: RecordAction, facts: RecordFacts): RecordRefusal | null {
  const meeting = meetingRefusal(facts.meeting);
  if (meeting) return meeting;
  if (action === 'recordAttendance') return null;
  const q = facts.question;
  const field = action === 'addSupplementary' ? 'oralQuestionId' : action === 'markNotReached' ? 'notReachedQuestionIds' : 'questionId';
  if (q === null || !q.ofMeeting || q.state !== 'accepted') {
    return { code: 'validation_failed', field, message: 'Choose an accepted oral question of this meeting' };
  }
  switch (action) {
    case 'addTurn':
    case 'removeTurn':
      if (q.type === 'written') return { code: 'validation_failed', field, message: 'Written questions are answered in writing, so they have no transcript' };
      if (q.notReached) return { code: 'conflict', message: 'This question was not reached at the meeting, so it has no transcript; it is answered in writing.' };
      if (q.exchangePublished) return { code: 'conflict', message: 'The oral answer to this question has been published, so its transcript can no longer be changed.' };
      return null;
    case 'addSupplementary':
      if (q.type !== 'oral') return { code: 'validation_failed', field, message: 'A supplementary follows an oral question: choose one of the oral questions' };
      if (q.notReached) return { code: 'conflict', message: 'This question was not reached at the meeting, so no supplementary could be asked on it.' };
      if (q.exchangePublished) return { code: 'conflict', message: 'The oral answer to this question has been published, so no supplementary can be added to it.' };
      return null;
    case 'publishOralAnswer':
      if (q.type !== 'oral') return { code: 'validation_failed', field, message: 'Only oral questions have an oral answer' };
      if (q.exchangePublished) return { code: 'conflict', message: 'The oral answer to this question has already been published.' };
      if (!q.asked) return { code: 'conflict', message: 'Record whether this question was reached before publishing its oral answer.' };
      if (q.notReached) return { code: 'conflict', message: 'This question was not reached at the meeting, so it is answered in writing, not orally.' };
      if (!q.hasTurns) return { code: 'conflict', message: 'Record what was said before publishing the oral answer.' };
      return null;
    case 'markNotReached':
      if (q.hasTurns) return { code: 'validation_failed', field: 'notReachedQuestionIds', message: 'A question with a transcript was reached: remove its transcript first, or mark it as reached' };
      return null;
  }
}
