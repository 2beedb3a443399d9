// Test factories for the workflow: an assembly with its rules, people, one account per role, meetings around
// "now", and helpers to run commands in transactions and prove a refusal changed nothing.
import assert from 'node:assert/strict';
import type { Actor } from '../auth/actor.ts';
import { addDays } from '../calendar/iso-date.ts';
import { londonDate, londonDateTime } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { AuditRecordType, MeetingState, UserRole } from '../db/schema.ts';
import { isAppError, type AppError, type AppErrorCode } from '../errors/app-error.ts';
import { acceptQuestion } from './clerk.commands.ts';
import { approveDraft, submitDraft, writeAnswerDraft } from './answer-draft.commands.ts';
import { createDraft, tableQuestion } from './member.commands.ts';
import { publishDraft } from './publish.commands.ts';

export interface MeetingFixture {
  id: number;
  meetsOn: string;
}

export interface World {
  tag: string;
  assemblyId: number;
  executiveId: number;
  policeId: number;
  transportId: number;
  mayorId: number;
  deputyMayorId: number;
  memberPersonId: number;
  otherMemberPersonId: number;
  topicIds: [number, number];
  actors: {
    member: Actor;
    staff: Actor;
    otherMember: Actor;
    clerk: Actor;
    policeOfficer: Actor;
    transportOfficer: Actor;
    approver: Actor;
    otherApprover: Actor;
    admin: Actor;
    pressOfficer: Actor;
  };
  meetings: {
    /** Cut-off in ten days, meeting in three weeks. */
    future: MeetingFixture;
    /** Meets later, in five weeks. */
    later: MeetingFixture;
    /** Cut-off passed yesterday; meets in three days. */
    closing: MeetingFixture;
    /** Held a week ago. */
    held: MeetingFixture;
    cancelled: MeetingFixture;
  };
}

let counter = 0;

/** A tag unique within this process, for slugs and e-mail addresses. */
export function uniqueTag(): string {
  counter += 1;
  return `${process.pid.toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function person(db: Db, slug: string, name: string): Promise<number> {
  const row = await db.insertInto('people').values({ slug, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function organisation(db: Db, slug: string, name: string, classification: 'assembly' | 'executive' | 'functional_body'): Promise<number> {
  const row = await db.insertInto('organisations').values({ slug, name, classification }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function user(
  db: Db,
  tag: string,
  role: UserRole,
  name: string,
  ties: { personId?: number; actingForId?: number; organisationId?: number } = {},
): Promise<Actor> {
  const email = `${role}.${name.toLowerCase().replace(/[^a-z]+/g, '-')}.${tag}@example.test`;
  const row = await db
    .insertInto('users')
    .values({
      email,
      display_name: name,
      role,
      password_hash: 'not-a-real-hash',
      person_id: ties.personId ?? null,
      acting_for_id: ties.actingForId ?? null,
      organisation_id: ties.organisationId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    userId: row.id,
    role,
    email,
    displayName: name,
    personId: ties.personId ?? null,
    actingForId: ties.actingForId ?? null,
    organisationId: ties.organisationId ?? null,
  };
}

export async function createMeeting(
  db: Db,
  assemblyId: number,
  slug: string,
  meetsOn: string,
  cutoffAt: Date,
  state: MeetingState = 'scheduled',
): Promise<MeetingFixture> {
  const row = await db
    .insertInto('meetings')
    .values({
      slug,
      assembly_id: assemblyId,
      meeting_type: 'mqt',
      title: "Mayor's Question Time",
      meets_on: meetsOn,
      starts_at: londonDateTime(meetsOn, '10:00'),
      place: 'City Hall',
      tabling_cutoff_at: cutoffAt,
      state,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, meetsOn };
}

/** The person holding the office of Mayor today, created (with a deputy) if nobody does. */
async function mayorAndDeputy(db: Db, tag: string, executiveId: number, today: string): Promise<{ mayorId: number; deputyMayorId: number }> {
  const holding = (role: 'mayor' | 'deputy_mayor') =>
    db
      .selectFrom('memberships')
      .select('person_id')
      .where('role', '=', role)
      .where('start_date', '<=', today)
      .where('end_date', 'is', null)
      .orderBy('start_date', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  const [mayor, deputy] = [await holding('mayor'), await holding('deputy_mayor')];
  if (mayor && deputy) return { mayorId: mayor.person_id, deputyMayorId: deputy.person_id };
  const mayorId = await person(db, `mayor-${tag}`, 'Amara Quinn');
  const deputyMayorId = await person(db, `deputy-${tag}`, 'Tom Ellery');
  await db
    .insertInto('memberships')
    .values([
      { person_id: mayorId, organisation_id: executiveId, role: 'mayor', label: 'Mayor of Wexbridge', start_date: '2000-05-04' },
      { person_id: deputyMayorId, organisation_id: executiveId, role: 'deputy_mayor', label: 'Deputy Mayor for Transport', start_date: '2000-05-04' },
    ])
    .execute();
  return { mayorId, deputyMayorId };
}

/** A fresh, self-contained assembly around `now`. Several worlds can share one database (they share the Mayor). */
export async function createWorld(db: Db, now: Date, options: { oralQuestionsPerMember?: number } = {}): Promise<World> {
  const tag = uniqueTag();
  const today = londonDate(now);
  const assemblyId = await organisation(db, `assembly-${tag}`, 'Wexbridge Assembly', 'assembly');
  await db
    .insertInto('assembly_rules')
    .values({ assembly_id: assemblyId, oral_questions_per_member: options.oralQuestionsPerMember ?? null })
    .execute();
  const executiveId = await organisation(db, `mayors-office-${tag}`, "Mayor's Office", 'executive');
  const policeId = await organisation(db, `police-${tag}`, 'Wexbridge Police Service', 'functional_body');
  const transportId = await organisation(db, `transport-${tag}`, 'Transport for Wexbridge', 'functional_body');
  const { mayorId, deputyMayorId } = await mayorAndDeputy(db, tag, executiveId, today);
  const memberPersonId = await person(db, `member-${tag}`, 'Priya Okafor');
  const otherMemberPersonId = await person(db, `other-member-${tag}`, 'Gareth Lowe');
  await db
    .insertInto('memberships')
    .values([
      { person_id: memberPersonId, organisation_id: assemblyId, role: 'member', label: 'Assembly Member', start_date: '2000-05-04' },
      { person_id: otherMemberPersonId, organisation_id: assemblyId, role: 'member', label: 'Assembly Member', start_date: '2000-05-04' },
    ])
    .execute();
  const topics = await db
    .insertInto('topics')
    .values([
      { slug: `transport-${tag}`, name: 'Transport' },
      { slug: `policing-${tag}`, name: 'Policing' },
    ])
    .returning('id')
    .execute();

  const actors = {
    member: await user(db, tag, 'member', 'Priya Okafor', { personId: memberPersonId }),
    staff: await user(db, tag, 'staff', 'Sam Staff', { actingForId: memberPersonId }),
    otherMember: await user(db, tag, 'member', 'Gareth Lowe', { personId: otherMemberPersonId }),
    clerk: await user(db, tag, 'clerk', 'Clara Clerk'),
    policeOfficer: await user(db, tag, 'officer', 'Olu Police', { organisationId: policeId }),
    transportOfficer: await user(db, tag, 'officer', 'Tess Transport', { organisationId: transportId }),
    approver: await user(db, tag, 'approver', 'Pat Approver'),
    otherApprover: await user(db, tag, 'approver', 'Robin Approver'),
    admin: await user(db, tag, 'admin', 'Ada Admin'),
    pressOfficer: await user(db, tag, 'press_officer', 'Percy Press'),
  };

  const day = (n: number) => addDays(today, n);
  const meetings = {
    future: await createMeeting(db, assemblyId, `future-${tag}`, day(21), londonDateTime(day(10), '12:00')),
    later: await createMeeting(db, assemblyId, `later-${tag}`, day(35), londonDateTime(day(24), '12:00')),
    closing: await createMeeting(db, assemblyId, `closing-${tag}`, day(3), londonDateTime(day(-1), '12:00')),
    held: await createMeeting(db, assemblyId, `held-${tag}`, day(-7), londonDateTime(day(-17), '12:00'), 'held'),
    cancelled: await createMeeting(db, assemblyId, `cancelled-${tag}`, day(28), londonDateTime(day(17), '12:00'), 'cancelled'),
  };
  const [topicA, topicB] = topics;
  if (!topicA || !topicB) throw new Error('topics not created');
  return {
    tag,
    assemblyId,
    executiveId,
    policeId,
    transportId,
    mayorId,
    deputyMayorId,
    memberPersonId,
    otherMemberPersonId,
    topicIds: [topicA.id, topicB.id],
    actors,
    meetings,
  };
}

/** Runs a command in its own transaction, as a route would. */
export function run<T>(db: Db, command: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(command);
}

export const WORKFLOW_TABLES = [
  'questions',
  'question_topics',
  'answer_drafts',
  'answer_versions',
  'allocations',
  'draft_comments',
  'audit_events',
  'outbox',
  'reference_sequences',
] as const;

/** Every row of the tables the workflow writes, in a stable order, as comparable JSON. */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of WORKFLOW_TABLES) {
    let query = db.selectFrom(table).selectAll();
    if (table === 'question_topics') query = query.orderBy('question_id').orderBy('topic_id');
    else if (table === 'reference_sequences') query = query.orderBy('year');
    else query = query.orderBy('id');
    result[table] = JSON.stringify(await query.execute());
  }
  return result;
}

/**
 * Runs a command that must be refused, catching the refusal INSIDE the transaction and committing it, so a
 * command that wrote something before refusing would be caught leaving it behind. Returns the error.
 */
export async function expectRefusal(db: Db, code: AppErrorCode, command: (trx: Db) => Promise<unknown>): Promise<AppError> {
  const before = await snapshot(db);
  const error = await run(db, async (trx) => {
    try {
      await command(trx);
    } catch (caught) {
      return caught;
    }
    return undefined;
  });
  if (!isAppError(error)) assert.fail(`expected a ${code} refusal, got ${error instanceof Error ? error.stack : String(error)}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  assert.deepEqual(await snapshot(db), before, `the refused command changed the database (${error.message})`);
  return error;
}

export async function auditActions(db: Db, recordType: AuditRecordType, recordId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

export async function mailTo(db: Db, recipient: string) {
  return db.selectFrom('outbox').select(['kind', 'subject', 'body_text']).where('recipient', '=', recipient).orderBy('id').execute();
}

/** Noon in London, n days after a calendar day: a clock for "after the meeting". */
export function noonAfter(day: string, n: number): Date {
  return londonDateTime(addDays(day, n), '12:00');
}

export interface QuestionOptions {
  type?: 'written' | 'oral';
  meeting?: MeetingFixture;
  title?: string;
  asker?: Actor;
  now?: Date;
}

export async function draftQuestion(db: Db, world: World, options: QuestionOptions = {}): Promise<number> {
  const { questionId } = await run(db, (trx) =>
    createDraft(
      trx,
      options.asker ?? world.actors.member,
      {
        meetingId: (options.meeting ?? world.meetings.future).id,
        questionType: options.type ?? 'written',
        title: options.title ?? 'Bus reliability',
        body: 'How many scheduled bus journeys were cancelled last month?',
      },
      options.now ? { now: options.now } : {},
    ),
  );
  return questionId;
}

export async function tabledQuestion(db: Db, world: World, options: QuestionOptions = {}): Promise<number> {
  const questionId = await draftQuestion(db, world, options);
  await run(db, (trx) => tableQuestion(trx, options.asker ?? world.actors.member, { questionId }, options.now ? { now: options.now } : {}));
  return questionId;
}

export async function acceptedQuestion(db: Db, world: World, options: QuestionOptions = {}): Promise<{ questionId: number; reference: string }> {
  const questionId = await tabledQuestion(db, world, options);
  const { reference } = await run(db, (trx) => acceptQuestion(trx, world.actors.clerk, { questionId }, options.now ? { now: options.now } : {}));
  return { questionId, reference };
}

/** A draft answer taken by the Mayor's office as far as `until`. */
export async function draftAnswer(
  db: Db,
  world: World,
  questionId: number,
  options: { kind?: 'holding' | 'substantive' | 'correction'; body?: string; until?: 'drafting' | 'submitted' | 'approved'; now?: Date } = {},
): Promise<number> {
  const approver = world.actors.approver;
  const opts = options.now ? { now: options.now } : {};
  const kind = options.kind ?? 'substantive';
  const { draftId } = await run(db, (trx) =>
    writeAnswerDraft(
      trx,
      approver,
      {
        questionId,
        kind,
        body: options.body ?? 'Reliability has improved: 98.2% of scheduled journeys ran last month.',
        ...(kind === 'correction' ? { correctionNote: 'The percentage was wrong.' } : {}),
      },
      opts,
    ),
  );
  if (options.until === 'drafting') return draftId;
  await run(db, (trx) => submitDraft(trx, approver, { draftId }, opts));
  if (options.until === 'submitted') return draftId;
  await run(db, (trx) => approveDraft(trx, approver, { draftId }, opts));
  return draftId;
}

/** A published answer, written, approved and published by the Mayor's office. */
export async function publishedAnswer(
  db: Db,
  world: World,
  questionId: number,
  options: { kind?: 'holding' | 'substantive' | 'correction'; body?: string; now?: Date } = {},
): Promise<{ draftId: number; answerVersionId: number }> {
  const draftId = await draftAnswer(db, world, questionId, options);
  const published = await run(db, (trx) => publishDraft(trx, world.actors.approver, { draftId }, options.now ? { now: options.now } : {}));
  return { draftId, answerVersionId: published.answerVersionId };
}
