// Meetings as the clerk works through them: how many questions each has, and a meeting's accepted questions to mark as asked.
import type { Actor } from '../auth/actor.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { MeetingState, QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { meetingFacts, referenceOf } from './workflow.repository.ts';

export interface ClerkMeetingSummary {
  id: number;
  slug: string;
  title: string;
  meetsOn: string;
  state: MeetingState;
  tabled: number;
  accepted: number;
  /** Accepted questions not yet marked as asked. */
  waitingToBeAsked: number;
}

export interface ClerkMeetingQuestion {
  id: number;
  reference: string | null;
  title: string;
  type: QuestionType;
  askerName: string;
  askedOn: string | null;
  dueOn: string | null;
  notReached: boolean;
  /** Position on the Priority Order Paper, for oral questions placed on it. */
  orderPaperPosition: number | null;
  /** Whether the order paper records the question as reached (null: not recorded). */
  reachedOnOrderPaper: boolean | null;
}

export interface ClerkMeeting {
  id: number;
  slug: string;
  title: string;
  meetsOn: string;
  state: MeetingState;
  /** The meeting day has come and it was not cancelled: its questions can be marked as asked. */
  canMarkAsked: boolean;
  dayReached: boolean;
  questions: ClerkMeetingQuestion[];
}

const UPCOMING_LIMIT = 20;
const RECENT_LIMIT = 10;

function requireClerk(actor: Actor): void {
  if (actor.role !== 'clerk') throw new AppError('forbidden', 'Only the clerk can see meetings with their questions.');
}

/** The next meetings (soonest first) and the most recent ones (latest first), each with its question counts. */
export async function clerkMeetings(db: Db, actor: Actor, now: Date): Promise<{ upcoming: ClerkMeetingSummary[]; recent: ClerkMeetingSummary[] }> {
  requireClerk(actor);
  const today = londonDate(now);
  const columns = ['id', 'slug', 'title', 'meets_on', 'state'] as const;
  const upcoming = await db.selectFrom('meetings').select(columns).where('meets_on', '>=', today).orderBy('meets_on').orderBy('id').limit(UPCOMING_LIMIT).execute();
  const recent = await db.selectFrom('meetings').select(columns).where('meets_on', '<', today).orderBy('meets_on', 'desc').orderBy('id', 'desc').limit(RECENT_LIMIT).execute();
  const ids = [...upcoming, ...recent].map((m) => m.id);
  const counts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('questions')
          .select((eb) => [
            'meeting_id',
            eb.fn.countAll<string>().filterWhere('state', '=', 'tabled').as('tabled'),
            eb.fn.countAll<string>().filterWhere('state', '=', 'accepted').as('accepted'),
            eb.fn
              .countAll<string>()
              .filterWhere((w) => w.and([w('state', '=', 'accepted'), w('asked_on', 'is', null)]))
              .as('waiting'),
          ])
          .where('meeting_id', 'in', ids)
          .where('question_type', '<>', 'supplementary')
          .groupBy('meeting_id')
          .execute();
  const countsOf = new Map(counts.map((c) => [c.meeting_id, c]));
  const summary = (m: (typeof upcoming)[number]): ClerkMeetingSummary => {
    const c = countsOf.get(m.id);
    return {
      id: m.id,
      slug: m.slug,
      title: m.title,
      meetsOn: m.meets_on,
      state: m.state,
      tabled: Number(c?.tabled ?? 0),
      accepted: Number(c?.accepted ?? 0),
      waitingToBeAsked: Number(c?.waiting ?? 0),
    };
  };
  return { upcoming: upcoming.map(summary), recent: recent.map(summary) };
}

/** One meeting with its accepted questions: oral ones in Priority Order Paper order, then written ones by reference. */
export async function clerkMeeting(db: Db, actor: Actor, meetingId: number, now: Date): Promise<ClerkMeeting> {
  requireClerk(actor);
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
  const rows = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .leftJoin('order_paper_entries', 'order_paper_entries.question_id', 'questions.id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.question_type',
      'questions.asked_on',
      'questions.due_on',
      'questions.not_reached',
      'people.name as asker_name',
      'order_paper_entries.position',
      'order_paper_entries.reached',
    ])
    .where('questions.meeting_id', '=', meeting.id)
    .where('questions.state', '=', 'accepted')
    .where('questions.question_type', '<>', 'supplementary')
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .orderBy('questions.id')
    .execute();
  const questions = rows.map(
    (r): ClerkMeetingQuestion => ({
      id: r.id,
      reference: referenceOf(r),
      title: r.title,
      type: r.question_type,
      askerName: r.asker_name,
      askedOn: r.asked_on,
      dueOn: r.due_on,
      notReached: r.not_reached,
      orderPaperPosition: r.position,
      reachedOnOrderPaper: r.reached,
    }),
  );
  const onPaper = (q: ClerkMeetingQuestion) => q.orderPaperPosition ?? Number.MAX_SAFE_INTEGER;
  const oral = questions.filter((q) => q.type === 'oral').sort((a, b) => onPaper(a) - onPaper(b));
  const written = questions.filter((q) => q.type !== 'oral');
  const facts = meetingFacts(meeting, now);
  return {
    id: meeting.id,
    slug: meeting.slug,
    title: meeting.title,
    meetsOn: meeting.meets_on,
    state: meeting.state,
    canMarkAsked: facts.dayReached && !facts.cancelled,
    dayReached: facts.dayReached,
    questions: [...oral, ...written],
  };
}
