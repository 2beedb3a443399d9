// Reads the Priority Order Paper: a meeting's party groups on the day, its oral questions, and the paper as it stands.
import type { Db } from '../db/database.ts';
import type { MeetingState, MeetingType, QuestionState } from '../db/schema.ts';
import { referenceOf } from '../workflow/workflow.repository.ts';
import { defaultOrder, type PartyGroupSize, type TabledOralQuestion } from './order-paper.ts';

/** A party group (or one independent member) on the meeting day, with its size. */
export interface MeetingGroup extends PartyGroupSize {
  /** What the paper prints in the party group column. */
  label: string;
  /** The party group's organisation slug; null for an independent member. */
  organisationSlug: string | null;
}

export interface OrderPaperMeeting {
  id: number;
  slug: string;
  assemblyId: number;
  title: string;
  meetingType: MeetingType;
  meetsOn: string;
  startsAt: Date;
  place: string;
  state: MeetingState;
}

export type OrderPaperStatus = 'not_compiled' | 'compiled' | 'published';

export interface OrderPaperRow {
  position: number;
  questionId: number;
  reference: string | null;
  title: string;
  state: QuestionState;
  askerId: number;
  askerName: string;
  askerSlug: string;
  groupKey: string;
  groupLabel: string;
  /** Recorded after the meeting: whether the question was reached (null: not recorded). */
  reached: boolean | null;
}

export interface OrderPaper {
  meeting: OrderPaperMeeting;
  status: OrderPaperStatus;
  publishedAt: Date | null;
  rows: OrderPaperRow[];
  /** Every group on the meeting day, largest first, with how many of its questions are on the paper. */
  groups: (MeetingGroup & { onPaper: number })[];
  /** Members of the assembly on the meeting day in all groups together. */
  totalMembers: number;
  /** The accepted questions on the paper stand in the default order (none moved by hand since compiling). */
  followsDefaultOrder: boolean;
}

const meetingColumns = ['id', 'slug', 'assembly_id', 'title', 'meeting_type', 'meets_on', 'starts_at', 'place', 'state'] as const;

export function toOrderPaperMeeting(row: {
  id: number;
  slug: string;
  assembly_id: number;
  title: string;
  meeting_type: MeetingType;
  meets_on: string;
  starts_at: Date;
  place: string;
  state: MeetingState;
}): OrderPaperMeeting {
  return {
    id: row.id,
    slug: row.slug,
    assemblyId: row.assembly_id,
    title: row.title,
    meetingType: row.meeting_type,
    meetsOn: row.meets_on,
    startsAt: row.starts_at,
    place: row.place,
    state: row.state,
  };
}

export async function orderPaperMeetingById(db: Db, meetingId: number): Promise<OrderPaperMeeting | undefined> {
  const row = await db.selectFrom('meetings').select(meetingColumns).where('id', '=', meetingId).executeTakeFirst();
  return row ? toOrderPaperMeeting(row) : undefined;
}

export async function orderPaperMeetingBySlug(db: Db, slug: string): Promise<OrderPaperMeeting | undefined> {
  const row = await db.selectFrom('meetings').select(meetingColumns).where('slug', '=', slug).executeTakeFirst();
  return row ? toOrderPaperMeeting(row) : undefined;
}

/**
 * The party groups on a day and who is in which. Sizes count the assembly's members on that day; a member in no
 * party group is a group of one. People named in `alsoPersonIds` (askers) are placed too, and counted, even if
 * they held no seat that day, so every question has a group.
 */
export async function meetingGroups(
  db: Db,
  assemblyId: number,
  date: string,
  alsoPersonIds: readonly number[] = [],
): Promise<{ groups: MeetingGroup[]; groupOf: Map<number, MeetingGroup> }> {
  const seats = await db
    .selectFrom('memberships')
    .select('person_id')
    .distinct()
    .where('organisation_id', '=', assemblyId)
    .where('role', '=', 'member')
    .where('start_date', '<=', date)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', date)]))
    .execute();
  const personIds = [...new Set([...seats.map((s) => s.person_id), ...alsoPersonIds])].sort((a, b) => a - b);
  if (personIds.length === 0) return { groups: [], groupOf: new Map() };

  // A person's party group that day; should terms overlap (a change of group recorded on the same day), the latest start.
  const partyTerms = await db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.person_id', 'organisations.id as organisation_id', 'organisations.slug', 'organisations.name', 'organisations.short_name'])
    .where('organisations.classification', '=', 'party_group')
    .where((eb) => eb.or([eb('organisations.parent_id', '=', assemblyId), eb('organisations.parent_id', 'is', null)]))
    .where('memberships.role', 'in', ['member', 'leader', 'chair'])
    .where('memberships.person_id', 'in', personIds)
    .where('memberships.start_date', '<=', date)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', date)]))
    .orderBy('memberships.person_id')
    .orderBy('memberships.start_date', 'desc')
    .orderBy('memberships.id', 'desc')
    .execute();
  const people = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', personIds).execute();
  const nameOf = new Map(people.map((p) => [p.id, p.name]));

  const byKey = new Map<string, MeetingGroup>();
  const groupOf = new Map<number, MeetingGroup>();
  for (const personId of personIds) {
    const term = partyTerms.find((t) => t.person_id === personId);
    const key = term ? `party-group:${term.organisation_id}` : `independent:${personId}`;
    let group = byKey.get(key);
    if (!group) {
      group = term
        ? { key, name: term.name, label: term.short_name ?? term.name, organisationSlug: term.slug, members: 0 }
        : { key, name: `Independent: ${nameOf.get(personId) ?? 'member'}`, label: 'Independent', organisationSlug: null, members: 0 };
      byKey.set(key, group);
    }
    group.members += 1;
    groupOf.set(personId, group);
  }
  const groups = [...byKey.values()].sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { groups, groupOf };
}

/** The meeting's accepted oral questions with their askers' groups: the input to the default order. */
export async function acceptedOralQuestions(db: Db, meeting: OrderPaperMeeting) {
  const rows = await db
    .selectFrom('questions')
    .select(['id', 'asker_id', 'tabled_at', 'reference_year', 'reference_number'])
    .where('meeting_id', '=', meeting.id)
    .where('question_type', '=', 'oral')
    .where('state', '=', 'accepted')
    .orderBy('id')
    .execute();
  const { groups, groupOf } = await meetingGroups(
    db,
    meeting.assemblyId,
    meeting.meetsOn,
    rows.map((r) => r.asker_id),
  );
  const questions: TabledOralQuestion[] = rows.map((r) => ({
    id: r.id,
    groupKey: groupOf.get(r.asker_id)!.key,
    // Accepted questions were tabled; an imported one without the moment sorts first, then by id.
    tabledAt: r.tabled_at ?? new Date(0),
  }));
  return { rows, groups, questions };
}

/** The order paper as it stands (for the clerk, whatever its status). */
export async function loadOrderPaper(db: Db, meeting: OrderPaperMeeting): Promise<OrderPaper> {
  const entries = await db
    .selectFrom('order_paper_entries')
    .innerJoin('questions', 'questions.id', 'order_paper_entries.question_id')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .select([
      'order_paper_entries.position',
      'order_paper_entries.reached',
      'order_paper_entries.published_at',
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.state',
      'questions.asker_id',
      'people.name as asker_name',
      'people.slug as asker_slug',
    ])
    .where('order_paper_entries.meeting_id', '=', meeting.id)
    .orderBy('order_paper_entries.position')
    .execute();
  const oral = await acceptedOralQuestions(db, meeting);
  const { groups, groupOf } = await meetingGroups(
    db,
    meeting.assemblyId,
    meeting.meetsOn,
    [...entries.map((e) => e.asker_id), ...oral.rows.map((r) => r.asker_id)],
  );
  const rows = entries.map(
    (e): OrderPaperRow => ({
      position: e.position,
      questionId: e.id,
      reference: referenceOf(e),
      title: e.title,
      state: e.state,
      askerId: e.asker_id,
      askerName: e.asker_name,
      askerSlug: e.asker_slug,
      groupKey: groupOf.get(e.asker_id)!.key,
      groupLabel: groupOf.get(e.asker_id)!.label,
      reached: e.reached,
    }),
  );
  const publishedAt = entries.find((e) => e.published_at !== null)?.published_at ?? null;
  const onPaper = new Set(rows.filter((r) => r.state === 'accepted').map((r) => r.questionId));
  const expected = defaultOrder(
    oral.groups,
    oral.questions.filter((q) => onPaper.has(q.id)),
  ).map((p) => p.questionId);
  const actual = rows.filter((r) => onPaper.has(r.questionId)).map((r) => r.questionId);
  return {
    meeting,
    status: entries.length === 0 ? 'not_compiled' : publishedAt ? 'published' : 'compiled',
    publishedAt,
    rows,
    groups: groups.map((g) => ({ ...g, onPaper: rows.filter((r) => r.groupKey === g.key).length })),
    totalMembers: groups.reduce((sum, g) => sum + g.members, 0),
    followsDefaultOrder: expected.length === actual.length && expected.every((id, i) => actual[i] === id),
  };
}

/** Whether the public may see the paper: published, and the moment of publication has come. */
export function isPublic(paper: Pick<OrderPaper, 'status' | 'publishedAt'>, now: Date): boolean {
  return paper.status === 'published' && paper.publishedAt !== null && paper.publishedAt.getTime() <= now.getTime();
}

/** What the clerk still has to deal with: accepted oral questions not on the paper, and oral questions not yet decided. */
export async function outstandingOralQuestions(db: Db, meetingId: number) {
  const notOnPaper = await db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .leftJoin('order_paper_entries', 'order_paper_entries.question_id', 'questions.id')
    .select(['questions.id', 'questions.reference_year', 'questions.reference_number', 'questions.title', 'people.name as asker_name'])
    .where('questions.meeting_id', '=', meetingId)
    .where('questions.question_type', '=', 'oral')
    .where('questions.state', '=', 'accepted')
    .where('order_paper_entries.question_id', 'is', null)
    .orderBy('questions.id')
    .execute();
  const tabled = await db
    .selectFrom('questions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('meeting_id', '=', meetingId)
    .where('question_type', '=', 'oral')
    .where('state', '=', 'tabled')
    .executeTakeFirstOrThrow();
  return {
    notOnPaper: notOnPaper.map((q) => ({ id: q.id, reference: referenceOf(q), title: q.title, askerName: q.asker_name })),
    awaitingDecision: Number(tabled.count),
  };
}
