// Reads meetings and the questions asked at them.
import type { Db } from '../db/database.ts';

const meetingColumns = [
  'meetings.id',
  'meetings.slug',
  'meetings.title',
  'meetings.meeting_type',
  'meetings.meets_on',
  'meetings.starts_at',
  'meetings.place',
  'meetings.tabling_cutoff_at',
  'meetings.state',
] as const;

export async function findMeetingBySlug(db: Db, slug: string) {
  return db.selectFrom('meetings').select(meetingColumns).where('slug', '=', slug).executeTakeFirst();
}

export async function listMeetings(db: Db) {
  return db.selectFrom('meetings').select(meetingColumns).orderBy('meets_on', 'desc').execute();
}

/** The next meeting that has not started yet. */
export async function nextMeeting(db: Db, now: Date) {
  return db.selectFrom('meetings').select(meetingColumns).where('starts_at', '>', now).where('state', '=', 'scheduled').orderBy('starts_at').executeTakeFirst();
}

/** Order paper positions for a meeting's oral questions, keyed by question id. */
export async function orderPaperPositions(db: Db, meetingId: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom('order_paper_entries').select(['question_id', 'position']).where('meeting_id', '=', meetingId).execute();
  return new Map(rows.map((r) => [r.question_id, r.position]));
}
