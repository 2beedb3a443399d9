// Random sequences of workflow actions by random actors, against one real database. After every step: a
// refused action changed nothing; a successful one wrote exactly its audit events; published answer versions
// never change. Each run builds its own assembly, people and accounts, so runs are independent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors/app-error.ts';
import { londonDate } from '../calendar/london-time.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { abandonDraft, approveDraft, editAnswerDraft, returnDraft, submitDraft, writeAnswerDraft } from './answer-draft.commands.ts';
import { acceptQuestion, clerkEditQuestion, markAsked, moveQuestion, rejectQuestion } from './clerk.commands.ts';
import { allocateQuestion, transferQuestion } from './executive.commands.ts';
import { OPEN_DRAFT_STATES } from './lifecycle.ts';
import { createDraft, editDraft, tableQuestion, withdrawQuestion } from './member.commands.ts';
import { publishDraft } from './publish.commands.ts';
import { createWorld, run, snapshot, type World } from './test-factories.ts';

const COMMANDS = [
  'createDraft',
  'editDraft',
  'table',
  'withdraw',
  'accept',
  'reject',
  'clerkEdit',
  'move',
  'markAsked',
  'allocate',
  'transfer',
  'writeAnswerDraft',
  'editAnswerDraft',
  'submitDraft',
  'returnDraft',
  'approveDraft',
  'publishDraft',
  'abandonDraft',
] as const;
type CommandKind = (typeof COMMANDS)[number];
type ActorName = keyof World['actors'];
type MeetingName = keyof World['meetings'];

const ALL_ACTORS: ActorName[] = ['member', 'staff', 'otherMember', 'clerk', 'policeOfficer', 'transportOfficer', 'approver', 'otherApprover', 'admin', 'pressOfficer'];
const MEMBER_SIDE: ActorName[] = ['member', 'staff', 'otherMember'];
const WRITERS: ActorName[] = ['policeOfficer', 'transportOfficer', 'approver'];
const APPROVERS: ActorName[] = ['approver', 'otherApprover'];
/** The actors who would normally take each action; the others are tried too, less often. */
const NATURAL: Record<CommandKind, ActorName[]> = {
  createDraft: MEMBER_SIDE,
  editDraft: MEMBER_SIDE,
  table: MEMBER_SIDE,
  withdraw: MEMBER_SIDE,
  accept: ['clerk'],
  reject: ['clerk'],
  clerkEdit: ['clerk'],
  move: ['clerk'],
  markAsked: ['clerk'],
  allocate: APPROVERS,
  transfer: APPROVERS,
  writeAnswerDraft: WRITERS,
  editAnswerDraft: WRITERS,
  submitDraft: WRITERS,
  returnDraft: APPROVERS,
  approveDraft: APPROVERS,
  publishDraft: APPROVERS,
  abandonDraft: WRITERS,
};

interface CommandStep {
  kind: CommandKind;
  natural: boolean;
  actor: number;
  target: number;
  meeting: MeetingName;
  variant: number;
}
/** 'advance' takes a recent question one step further along its natural path, by the natural actor. */
type Step = { kind: 'clock'; days: number } | CommandStep | (Omit<CommandStep, 'kind' | 'natural'> & { kind: 'advance' });

const common = {
  actor: fc.nat(9),
  // Recent questions and drafts, mostly: so that runs get far into the lifecycle.
  target: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(3) }),
  meeting: fc.constantFrom<MeetingName>('future', 'future', 'later', 'closing', 'held', 'cancelled'),
  variant: fc.nat(3),
};
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    // Mostly days; sometimes straight past a meeting, so questions get asked and fall due.
    arbitrary: fc.record({ kind: fc.constant('clock' as const), days: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(22, 36)) }),
  },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('advance' as const), ...common }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom(...COMMANDS),
      natural: fc.boolean().chain((b) => (b ? fc.constant(true) : fc.boolean())), // three in four: the natural actor
      ...common,
    }),
  },
);

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
});

interface RunState {
  world: World;
  clock: Date;
  questions: number[];
  drafts: number[];
}

function pick<T>(list: readonly T[], fromEnd: number, missing: T): T {
  if (list.length === 0) return missing;
  return list[list.length - 1 - (fromEnd % list.length)] ?? missing;
}

const MISSING = 999_999_999;

interface Planned {
  kind: CommandKind;
  actor: ActorName;
  questionId: number;
  draftId: number;
  meeting: MeetingName;
  variant: number;
}

/** The command a step stands for. Reads only: what a person would see on the page before acting. */
async function plan(db: Db, s: RunState, step: Exclude<Step, { kind: 'clock' }>): Promise<Planned> {
  const questionId = pick(s.questions, step.target, MISSING);
  const base = { questionId, draftId: pick(s.drafts, step.target, MISSING), meeting: step.meeting, variant: step.variant };
  if (step.kind !== 'advance') {
    const names = step.natural ? NATURAL[step.kind] : ALL_ACTORS;
    return { ...base, kind: step.kind, actor: names[step.actor % names.length] ?? 'member' };
  }
  const q = await db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select(['questions.state', 'questions.asker_id', 'questions.asked_on', 'questions.meeting_id', 'meetings.meets_on'])
    .where('questions.id', '=', questionId)
    .executeTakeFirst();
  const asker: ActorName = q?.asker_id === s.world.otherMemberPersonId ? 'otherMember' : step.actor % 2 === 0 ? 'member' : 'staff';
  if (!q || q.state === 'rejected' || q.state === 'withdrawn' || step.target === 3) {
    // A new question, mostly for a meeting that can still take it.
    const meeting: MeetingName = step.meeting === 'held' || step.meeting === 'cancelled' || step.meeting === 'closing' ? 'later' : step.meeting;
    return { ...base, kind: 'createDraft', actor: step.actor % 5 === 0 ? 'otherMember' : asker, meeting };
  }
  if (q.state === 'draft') return { ...base, kind: step.variant === 3 ? 'editDraft' : 'table', actor: asker };
  if (q.state === 'tabled') return { ...base, kind: step.variant === 3 ? 'reject' : step.variant === 2 ? 'withdraw' : 'accept', actor: step.variant === 2 ? asker : 'clerk' };
  if (q.asked_on === null && step.variant === 0 && londonDate(s.clock) >= q.meets_on) {
    const meeting = (Object.keys(s.world.meetings) as MeetingName[]).find((m) => s.world.meetings[m].id === q.meeting_id) ?? step.meeting;
    return { ...base, kind: 'markAsked', actor: 'clerk', meeting };
  }
  const allocation = await db.selectFrom('allocations').select('answering_body_id').where('question_id', '=', questionId).where('ended_at', 'is', null).executeTakeFirst();
  if (!allocation) return { ...base, kind: 'allocate', actor: 'approver' };
  const officer: ActorName = allocation.answering_body_id === s.world.policeId ? 'policeOfficer' : 'transportOfficer';
  const writer: ActorName = step.actor % 3 === 0 ? 'approver' : officer;
  const approver: ActorName = step.actor % 2 === 0 ? 'approver' : 'otherApprover';
  const open = await db.selectFrom('answer_drafts').select(['id', 'state']).where('question_id', '=', questionId).where('state', 'in', OPEN_DRAFT_STATES).executeTakeFirst();
  if (!open) {
    const answered = await db.selectFrom('answer_versions').select('id').where('question_id', '=', questionId).where('kind', '<>', 'holding').executeTakeFirst();
    // Answered: a correction (variant 2) or, rarely, a holding answer that must be refused.
    const variant = answered ? (step.variant === 3 ? 0 : 2) : step.variant === 2 ? 1 : step.variant;
    return { ...base, kind: 'writeAnswerDraft', actor: writer, variant };
  }
  const draft = { ...base, draftId: open.id };
  switch (open.state) {
    case 'drafting':
    case 'returned':
      return { ...draft, kind: step.variant === 3 ? 'editAnswerDraft' : 'submitDraft', actor: writer };
    case 'submitted':
      return { ...draft, kind: step.variant === 3 ? 'returnDraft' : 'approveDraft', actor: approver, variant: step.variant === 3 ? 0 : step.variant };
    default:
      return { ...draft, kind: 'publishDraft', actor: approver };
  }
}

/** Runs one planned command; returns how many audit events it should have written. */
async function execute(trx: Db, s: RunState, step: Planned, actor: Actor): Promise<number> {
  const w = s.world;
  const options = { now: s.clock, publicUrl: 'https://answerable.test' };
  const { questionId, draftId } = step;
  const meetingId = w.meetings[step.meeting].id;
  const v = step.variant;
  switch (step.kind) {
    case 'createDraft': {
      const r = await createDraft(
        trx,
        actor,
        { meetingId, questionType: v % 2 === 1 ? 'oral' : 'written', title: v === 3 ? '\u0000' : `Question ${s.questions.length + 1}`, body: 'What is the plan?' },
        options,
      );
      s.questions.push(r.questionId);
      return 1;
    }
    case 'editDraft': {
      const input = [{ title: 'A better title' }, { meetingId }, { title: `Question ${s.questions.length}` }, { body: '' }][v] ?? {};
      const r = await editDraft(trx, actor, { questionId, ...input }, options);
      return r.changed.length > 0 ? 1 : 0;
    }
    case 'table':
      await tableQuestion(trx, actor, { questionId }, options);
      return 1;
    case 'withdraw':
      await withdrawQuestion(trx, actor, { questionId, ...(v === 1 ? { reason: 'No longer needed.' } : {}) }, options);
      return 1;
    case 'accept':
      await acceptQuestion(trx, actor, { questionId }, options);
      return 1;
    case 'reject':
      await rejectQuestion(trx, actor, { questionId, reason: v === 3 ? ' ' : 'Not a matter for the Mayor.' }, options);
      return 1;
    case 'clerkEdit': {
      const r = await clerkEditQuestion(trx, actor, { questionId, ...(v === 3 ? { topicIds: [w.topicIds[0]] } : { title: `Corrected title ${v}` }) }, options);
      return r.changed.length > 0 ? 1 : 0;
    }
    case 'move':
      await moveQuestion(trx, actor, { questionId, meetingId }, options);
      return 1;
    case 'markAsked': {
      // Reading which oral questions wait is what the clerk's form would show: it changes nothing.
      const oral = await trx
        .selectFrom('questions')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .where('state', '=', 'accepted')
        .where('question_type', '=', 'oral')
        .where('asked_on', 'is', null)
        .execute();
      const ids = oral.map((q) => q.id);
      const r = await markAsked(trx, actor, { meetingId, ...(v % 2 === 0 ? { reachedQuestionIds: ids } : { notReachedQuestionIds: ids }) }, options);
      return r.questions.length;
    }
    case 'allocate': {
      const body = v % 2 === 0 ? w.policeId : w.transportId;
      const officer = v % 2 === 0 ? w.actors.policeOfficer : w.actors.transportOfficer;
      await allocateQuestion(trx, actor, { questionId, answeringBodyId: body, ...(v >= 2 ? { officerId: officer.userId } : {}) }, options);
      return 1;
    }
    case 'transfer':
      await transferQuestion(trx, actor, { questionId, answeringBodyId: v % 2 === 0 ? w.policeId : w.transportId, reason: v === 3 ? '' : 'Better placed.' }, options);
      return 1;
    case 'writeAnswerDraft': {
      const kind = (['holding', 'substantive', 'correction', 'substantive'] as const)[v] ?? 'substantive';
      const r = await writeAnswerDraft(
        trx,
        actor,
        { questionId, kind, body: `A ${kind} answer.`, ...(kind === 'correction' ? { correctionNote: 'A figure was wrong.' } : {}) },
        options,
      );
      s.drafts.push(r.draftId);
      return 1;
    }
    case 'editAnswerDraft': {
      const r = await editAnswerDraft(trx, actor, { draftId, body: `Edited answer ${v}.` }, options);
      return r.changed.length > 0 ? 1 : 0;
    }
    case 'submitDraft':
      await submitDraft(trx, actor, { draftId }, options);
      return 1;
    case 'returnDraft':
      await returnDraft(trx, actor, { draftId, comment: v === 3 ? '' : 'Please add the figures.' }, options);
      return 1;
    case 'approveDraft':
      await approveDraft(trx, actor, { draftId }, options);
      return 1;
    case 'publishDraft':
      await publishDraft(trx, actor, { draftId, ...(v === 3 ? { answeredById: w.deputyMayorId } : {}) }, options);
      return 1;
    case 'abandonDraft':
      await abandonDraft(trx, actor, { draftId }, options);
      return 1;
  }
}

/** Every answer version ever seen, as first seen: none may change or disappear. */
const publishedSeen = new Map<number, string>();
const tally = { runs: 0, steps: 0, succeeded: 0, refused: 0, published: 0, kinds: new Map<string, number>() };

async function checkPublishedUnchanged(db: Db): Promise<number> {
  const rows = await db.selectFrom('answer_versions').selectAll().orderBy('id').execute();
  const now = new Map(rows.map((r) => [r.id, JSON.stringify(r)]));
  for (const [id, json] of publishedSeen) assert.equal(now.get(id), json, `answer version ${id} changed or vanished`);
  for (const [id, json] of now) if (!publishedSeen.has(id)) publishedSeen.set(id, json);
  return rows.length;
}

async function auditCount(db: Db, world: World): Promise<number> {
  const ids = Object.values(world.actors).map((a) => a.userId);
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor_id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('random actions by random roles keep the record consistent', { timeout: 180_000 }, async () => {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 15, maxLength: 25 }), async (steps) => {
      tally.runs++;
      const s: RunState = { world: await createWorld(t.db, new Date()), clock: new Date(), questions: [], drafts: [] };
      let expectedAudit = 0;
      let before = await snapshot(t.db);
      let versions = await checkPublishedUnchanged(t.db);
      for (const step of steps) {
        tally.steps++;
        if (step.kind === 'clock') {
          s.clock = new Date(s.clock.getTime() + step.days * 86_400_000);
          continue;
        }
        const planned = await plan(t.db, s, step);
        const actor = s.world.actors[planned.actor];
        const auditBefore = await auditCount(t.db, s.world);
        // The refusal is caught inside the transaction, which then commits: a command that wrote before
        // refusing would leave its writes behind, and the snapshot comparison below would see them.
        const outcome = await run(t.db, async (trx) => {
          try {
            return { ok: true as const, events: await execute(trx, s, planned, actor) };
          } catch (error) {
            return { ok: false as const, error };
          }
        });
        const after = await snapshot(t.db);
        const versionsNow = await checkPublishedUnchanged(t.db);
        const label = `${planned.kind} by ${planned.actor} (${JSON.stringify(planned)})`;
        if (outcome.ok) {
          tally.succeeded++;
          tally.kinds.set(planned.kind, (tally.kinds.get(planned.kind) ?? 0) + 1);
          expectedAudit += outcome.events;
          assert.equal(await auditCount(t.db, s.world), auditBefore + outcome.events, `audit events after ${label}`);
          assert.equal(versionsNow, versions + (planned.kind === 'publishDraft' ? 1 : 0), `answer versions after ${label}`);
          if (planned.kind === 'publishDraft') tally.published++;
        } else {
          tally.refused++;
          if (!isAppError(outcome.error)) {
            assert.fail(`${label} failed with a non-domain error: ${outcome.error instanceof Error ? outcome.error.stack : String(outcome.error)}`);
          }
          assert.ok(['forbidden', 'conflict', 'validation_failed', 'not_found'].includes(outcome.error.code), label);
          assert.deepEqual(after, before, `refused ${label} (${outcome.error.message}) changed the database`);
        }
        before = after;
        versions = versionsNow;
      }
      // (a) over the whole run: one audit event per change, none for refusals.
      assert.equal(await auditCount(t.db, s.world), expectedAudit);
      // At most one draft in progress per question.
      if (s.questions.length > 0) {
        const open = await t.db
          .selectFrom('answer_drafts')
          .select(['question_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('question_id', 'in', s.questions)
          .where('state', 'in', OPEN_DRAFT_STATES)
          .groupBy('question_id')
          .execute();
        for (const row of open) assert.equal(Number(row.n), 1, `question ${row.question_id} has ${row.n} open drafts`);
      }
    }),
    // A fixed seed keeps the coverage guard below from failing on an unlucky draw; FC_SEED explores others.
    { numRuns: 30, seed: Number(process.env.FC_SEED ?? 20_091_117) },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `property: ${tally.runs} runs, ${tally.steps} steps, ${tally.succeeded} succeeded, ${tally.refused} refused, ${tally.published} published, ${seconds}s;`,
    Object.fromEntries([...tally.kinds].sort()),
  );
  // The runs must actually reach deep into the lifecycle, or the property proves little.
  assert.ok(tally.succeeded > 100, `only ${tally.succeeded} actions succeeded`);
  assert.ok(tally.published > 5, `only ${tally.published} answers published`);
});
