// Test factories for recording a meeting: a held meeting with three oral questions on a published Priority Order
// Paper and one written question, and a snapshot of every table recording could touch.
import type { Db } from '../db/database.ts';
import { londonDateTime } from '../calendar/london-time.ts';
import { addDays } from '../calendar/iso-date.ts';
import { acceptedQuestion, snapshot, type World } from '../workflow/test-factories.ts';

export interface MeetingToRecord {
  meetingId: number;
  meetsOn: string;
  slug: string;
  oral: { questionId: number; reference: string; title: string }[];
  written: { questionId: number; reference: string; title: string };
}

export const ORAL_TITLES = ['Bus lanes on the Ring Road', 'Police station closures', 'Street lighting in Northfleet'] as const;

/** The world's held meeting (a week ago) with its questions put down, accepted and ordered before its cut-off. */
export async function meetingToRecord(db: Db, world: World, options: { orderPaper?: boolean } = {}): Promise<MeetingToRecord> {
  const meeting = world.meetings.held;
  const before = londonDateTime(addDays(meeting.meetsOn, -20), '12:00');
  // Put down while the meeting was still to come: it is recorded as held afterwards.
  await db.updateTable('meetings').set({ state: 'scheduled' }).where('id', '=', meeting.id).execute();
  const askers = [world.actors.member, world.actors.otherMember, world.actors.member];
  const oral = [];
  for (const [i, title] of ORAL_TITLES.entries()) {
    const q = await acceptedQuestion(db, world, { type: 'oral', meeting, title, asker: askers[i], now: before });
    oral.push({ ...q, title });
  }
  const written = { ...(await acceptedQuestion(db, world, { type: 'written', meeting, title: 'Library opening hours', now: before })), title: 'Library opening hours' };
  await db.updateTable('meetings').set({ state: 'held' }).where('id', '=', meeting.id).execute();
  if (options.orderPaper ?? true) {
    await db
      .insertInto('order_paper_entries')
      .values(oral.map((q, i) => ({ meeting_id: meeting.id, question_id: q.questionId, position: i + 1, published_at: londonDateTime(addDays(meeting.meetsOn, -2), '17:00') })))
      .execute();
  }
  const row = await db.selectFrom('meetings').select('slug').where('id', '=', meeting.id).executeTakeFirstOrThrow();
  return { meetingId: meeting.id, meetsOn: meeting.meetsOn, slug: row.slug, oral, written };
}

/** Every row of the workflow tables and of the meeting record's own tables, as comparable JSON. */
export async function recordSnapshot(db: Db): Promise<Record<string, string>> {
  return {
    ...(await snapshot(db)),
    meeting_attendance: JSON.stringify(await db.selectFrom('meeting_attendance').selectAll().orderBy('meeting_id').orderBy('person_id').execute()),
    transcript_turns: JSON.stringify(await db.selectFrom('transcript_turns').selectAll().orderBy('id').execute()),
    order_paper_entries: JSON.stringify(await db.selectFrom('order_paper_entries').selectAll().orderBy('meeting_id').orderBy('position').execute()),
  };
}
