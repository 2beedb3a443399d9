// Reads what the clerk needs to record a meeting: who could attend, who did, and each oral question with its exchange.
import type { Db } from '../db/database.ts';
import type { AttendanceCapacity, Meeting, MeetingState } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { meetingFacts, referenceOf, rulesForMeeting } from '../workflow/workflow.repository.ts';
import { attendanceCapacity, isAnswering, recordRefusal } from './record.rules.ts';

export interface AttendanceCandidate {
  personId: number;
  name: string;
  capacity: AttendanceCapacity;
  attending: boolean;
}

const CAPACITY_ORDER: Record<AttendanceCapacity, number> = { mayor: 0, deputy_mayor: 1, commissioner: 2, member: 3, officer: 4, guest: 5 };

/**
 * Who may be recorded as attending: the assembly's members and the holders of executive office on the meeting day,
 * and anyone already recorded (so an earlier record is never hidden). The Mayor's side first, then members by name.
 */
export async function attendanceCandidates(db: Db, meeting: Pick<Meeting, 'id' | 'assembly_id' | 'meets_on'>): Promise<AttendanceCandidate[]> {
  const held = await db
    .selectFrom('memberships')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select(['people.id as person_id', 'people.name', 'memberships.role', 'memberships.organisation_id'])
    .where('memberships.start_date', '<=', meeting.meets_on)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', meeting.meets_on)]))
    .where((eb) =>
      eb.or([
        eb.and([eb('memberships.role', '=', 'member'), eb('memberships.organisation_id', '=', meeting.assembly_id)]),
        eb('memberships.role', 'in', ['mayor', 'deputy_mayor', 'commissioner']),
      ]),
    )
    .execute();
  const attending = await db
    .selectFrom('meeting_attendance')
    .innerJoin('people', 'people.id', 'meeting_attendance.person_id')
    .select(['people.id as person_id', 'people.name', 'meeting_attendance.capacity'])
    .where('meeting_attendance.meeting_id', '=', meeting.id)
    .execute();
  const candidates = new Map<number, AttendanceCandidate>();
  const people = new Map<number, { name: string; held: { role: (typeof held)[number]['role']; inAssembly: boolean }[] }>();
  for (const h of held) {
    const entry = people.get(h.person_id) ?? { name: h.name, held: [] };
    entry.held.push({ role: h.role, inAssembly: h.organisation_id === meeting.assembly_id });
    people.set(h.person_id, entry);
  }
  for (const [personId, p] of people) {
    const capacity = attendanceCapacity(p.held);
    if (capacity) candidates.set(personId, { personId, name: p.name, capacity, attending: false });
  }
  for (const a of attending) candidates.set(a.person_id, { personId: a.person_id, name: a.name, capacity: a.capacity, attending: true });
  return [...candidates.values()].sort((a, b) => CAPACITY_ORDER[a.capacity] - CAPACITY_ORDER[b.capacity] || a.name.localeCompare(b.name, 'en-GB') || a.personId - b.personId);
}

export interface RecordTurn {
  id: number;
  position: number;
  speaker: { id: number; name: string };
  text: string;
}

export interface RecordSupplementary {
  id: number;
  number: number;
  title: string;
  asker: { id: number; name: string };
  turns: RecordTurn[];
}

export interface RecordOralQuestion {
  id: number;
  reference: string | null;
  title: string;
  asker: { id: number; name: string };
  /** Position on the Priority Order Paper; null when it is not on it. */
  position: number | null;
  askedOn: string | null;
  dueOn: string | null;
  notReached: boolean;
  /** true/false once recorded as reached or not; null before. */
  reached: boolean | null;
  oralAnswerPublished: boolean;
  turns: RecordTurn[];
  supplementaries: RecordSupplementary[];
  /** What the clerk can still do to this question's exchange. */
  canAddTurns: boolean;
  canPublish: boolean;
}

export interface MeetingRecordForClerk {
  meeting: { id: number; slug: string; title: string; meetsOn: string; startsAt: Date; place: string; state: MeetingState };
  /** Why nothing can be recorded yet (not held, cancelled); null when recording is open. */
  closedBecause: string | null;
  candidates: AttendanceCandidate[];
  attendees: AttendanceCandidate[];
  oral: RecordOralQuestion[];
  /** Accepted questions not yet marked as asked (oral and written). */
  waitingOral: RecordOralQuestion[];
  waitingWritten: number;
  /** When written answers fall due if the questions are marked as asked now. */
  writtenDeadline: string;
}

/** The clerk's view of one meeting's record. */
export async function meetingRecordForClerk(db: Db, meetingId: number, now: Date): Promise<MeetingRecordForClerk> {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
  const facts = meetingFacts(meeting, now);
  const closed = recordRefusal('recordAttendance', { meeting: { cancelled: facts.cancelled, started: facts.started }, question: null });
  const candidates = await attendanceCandidates(db, meeting);

  const questions = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .leftJoin('order_paper_entries', 'order_paper_entries.question_id', 'questions.id')
    .select((eb) => [
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.question_type',
      'questions.asked_on',
      'questions.due_on',
      'questions.not_reached',
      'people.id as asker_id',
      'people.name as asker_name',
      'order_paper_entries.position',
      'order_paper_entries.reached',
      eb
        .exists(eb.selectFrom('answer_versions').select('answer_versions.id').whereRef('answer_versions.question_id', '=', 'questions.id').where('answer_versions.delivery', '=', 'oral'))
        .as('oral_answer_published'),
    ])
    .where('questions.meeting_id', '=', meeting.id)
    .where('questions.state', '=', 'accepted')
    .where('questions.question_type', 'in', ['oral', 'written'])
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .orderBy('questions.id')
    .execute();
  const oralRows = questions
    .filter((q) => q.question_type === 'oral')
    .sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER));
  const oralIds = oralRows.map((q) => q.id);
  const supplementaries =
    oralIds.length === 0
      ? []
      : await db
          .selectFrom('questions')
          .innerJoin('people', 'people.id', 'questions.asker_id')
          .select(['questions.id', 'questions.parent_question_id', 'questions.supplementary_number', 'questions.title', 'people.id as asker_id', 'people.name as asker_name'])
          .where('questions.parent_question_id', 'in', oralIds)
          .where('questions.state', '=', 'accepted')
          .orderBy('questions.supplementary_number')
          .execute();
  const turnRows = await db
    .selectFrom('transcript_turns')
    .innerJoin('people', 'people.id', 'transcript_turns.speaker_id')
    .select(['transcript_turns.id', 'transcript_turns.question_id', 'transcript_turns.position', 'transcript_turns.body', 'people.id as speaker_id', 'people.name as speaker_name'])
    .where('transcript_turns.meeting_id', '=', meeting.id)
    .orderBy('transcript_turns.position')
    .execute();
  const turnsOf = (questionId: number): RecordTurn[] =>
    turnRows
      .filter((t) => t.question_id === questionId)
      .map((t) => ({ id: t.id, position: t.position, speaker: { id: t.speaker_id, name: t.speaker_name }, text: t.body }));

  const oral = oralRows.map((q): RecordOralQuestion => {
    const sups = supplementaries
      .filter((s) => s.parent_question_id === q.id)
      .map((s) => ({ id: s.id, number: s.supplementary_number ?? 0, title: s.title, asker: { id: s.asker_id, name: s.asker_name }, turns: turnsOf(s.id) }));
    const turns = turnsOf(q.id);
    const published = Boolean(q.oral_answer_published);
    const open = closed === null && !published && !q.not_reached;
    return {
      id: q.id,
      reference: referenceOf(q),
      title: q.title,
      asker: { id: q.asker_id, name: q.asker_name },
      position: q.position,
      askedOn: q.asked_on,
      dueOn: q.due_on,
      notReached: q.not_reached,
      reached: q.asked_on === null ? q.reached : !q.not_reached,
      oralAnswerPublished: published,
      turns,
      supplementaries: sups,
      canAddTurns: open,
      canPublish: open && q.asked_on !== null && turns.length > 0,
    };
  });
  const rules = await rulesForMeeting(db, meeting);
  const attendees = candidates.filter((c) => c.attending);
  return {
    meeting: { id: meeting.id, slug: meeting.slug, title: meeting.title, meetsOn: meeting.meets_on, startsAt: meeting.starts_at, place: meeting.place, state: meeting.state },
    closedBecause: closed?.message ?? null,
    candidates,
    attendees,
    oral,
    waitingOral: oral.filter((q) => q.askedOn === null),
    waitingWritten: questions.filter((q) => q.question_type === 'written' && q.asked_on === null).length,
    writtenDeadline: statutoryDeadline(meeting.meets_on, rules.answerDeadlineWorkingDays),
  };
}

/** Attendees who can answer for the executive, and members: the two speaker lists the record page offers. */
export function speakersOf(record: MeetingRecordForClerk) {
  return {
    answering: record.attendees.filter((a) => isAnswering(a.capacity)),
    members: record.attendees.filter((a) => a.capacity === 'member'),
  };
}
