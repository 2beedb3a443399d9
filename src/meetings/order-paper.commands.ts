// What the clerk does to a meeting's Priority Order Paper: compile the default order, move a question, publish.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { fieldError, id, parseInput } from '../workflow/input.ts';
import { meetingFacts, nowOf, referenceOf, type WorkflowOptions } from '../workflow/workflow.repository.ts';
import { defaultOrder } from './order-paper.ts';
import { acceptedOralQuestions, toOrderPaperMeeting, type OrderPaperMeeting, type OrderPaperStatus } from './order-paper.queries.ts';

export const CompileInput = z.object({ meetingId: id('a meeting') });

export const MoveInput = z
  .object({
    meetingId: id('a meeting'),
    questionId: id('a question on the order paper'),
    direction: z.enum(['up', 'down'], { error: 'Choose whether to move the question up or down' }).optional(),
    position: z
      .number({ error: 'Enter the new position as a whole number' })
      .int({ message: 'Enter the new position as a whole number' })
      .positive({ message: 'Enter a position of 1 or more' })
      .optional(),
  })
  .refine((v) => (v.direction === undefined) !== (v.position === undefined), {
    error: 'Choose to move the question up or down, or enter a new position',
    path: ['position'],
  });

export const PublishInput = z.object({ meetingId: id('a meeting') });

interface Entry {
  question_id: number;
  position: number;
  published_at: Date | null;
}

function requireClerk(actor: Actor): void {
  if (actor.role !== 'clerk') throw new AppError('forbidden', 'Only the clerk can compile, change or publish the Priority Order Paper.');
}

/** The meeting, locked: changes to one meeting's order paper run one at a time. */
async function lockMeeting(trx: Db, meetingId: number, now: Date): Promise<OrderPaperMeeting & { started: boolean }> {
  const row = await trx.selectFrom('meetings').selectAll().where('id', '=', meetingId).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', `There is no meeting ${meetingId}.`);
  return { ...toOrderPaperMeeting(row), started: meetingFacts(row, now).started };
}

/** The order can change only before the meeting: once it has started (or was cancelled) the paper is the record. */
function requireChangeable(meeting: OrderPaperMeeting & { started: boolean }): void {
  if (meeting.state === 'cancelled') throw new AppError('conflict', 'This meeting was cancelled, so its order paper cannot be changed.');
  if (meeting.started) throw new AppError('conflict', 'The meeting has been held, so its order paper can no longer be compiled or reordered.');
}

async function entriesOf(trx: Db, meetingId: number): Promise<Entry[]> {
  return trx
    .selectFrom('order_paper_entries')
    .select(['question_id', 'position', 'published_at'])
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .forUpdate()
    .execute();
}

function statusOf(entries: readonly Entry[]): OrderPaperStatus {
  if (entries.length === 0) return 'not_compiled';
  return entries.some((e) => e.published_at !== null) ? 'published' : 'compiled';
}

/** Positions 1..n may be swapped within one statement list: the unique (meeting, position) check waits until all are written. */
async function rewritePositions(trx: Db, meetingId: number, changes: readonly { questionId: number; position: number }[]): Promise<void> {
  await sql`SET CONSTRAINTS order_paper_entries_meeting_id_position_key DEFERRED`.execute(trx);
  for (const change of changes) {
    await trx
      .updateTable('order_paper_entries')
      .set({ position: change.position })
      .where('meeting_id', '=', meetingId)
      .where('question_id', '=', change.questionId)
      .execute();
  }
  await sql`SET CONSTRAINTS order_paper_entries_meeting_id_position_key IMMEDIATE`.execute(trx);
}

export interface CompiledOrderPaper {
  meetingId: number;
  positions: { questionId: number; position: number }[];
}

/**
 * The clerk compiles the paper: the meeting's accepted oral questions in the default order (order-paper.ts).
 * Compiling again puts every question back in the default order, adds questions accepted since and drops
 * ones no longer accepted. A published paper stays published: the change shows at once and is audited.
 */
export async function compileOrderPaper(
  trx: Db,
  actor: Actor,
  input: z.input<typeof CompileInput>,
  options: WorkflowOptions = {},
): Promise<CompiledOrderPaper> {
  const data = parseInput(CompileInput, input, 'Compiling the order paper');
  const now = nowOf(options);
  requireClerk(actor);
  const meeting = await lockMeeting(trx, data.meetingId, now);
  requireChangeable(meeting);
  const entries = await entriesOf(trx, meeting.id);
  const { rows, groups, questions } = await acceptedOralQuestions(trx, meeting);
  if (questions.length === 0) throw new AppError('conflict', 'There are no accepted oral questions for this meeting to put on the order paper.');

  const order = defaultOrder(groups, questions);
  const from = statusOf(entries);
  const previous = new Map(entries.map((e) => [e.question_id, e.position]));
  const placed = new Set(order.map((p) => p.questionId));
  const publishedAt = entries.find((e) => e.published_at !== null)?.published_at ?? null;
  const dropped = entries.filter((e) => !placed.has(e.question_id));

  await sql`SET CONSTRAINTS order_paper_entries_meeting_id_position_key DEFERRED`.execute(trx);
  if (dropped.length > 0) {
    await trx
      .deleteFrom('order_paper_entries')
      .where('meeting_id', '=', meeting.id)
      .where(
        'question_id',
        'in',
        dropped.map((e) => e.question_id),
      )
      .execute();
  }
  const moved = order.filter((p) => previous.has(p.questionId) && previous.get(p.questionId) !== p.position);
  await rewritePositions(
    trx,
    meeting.id,
    moved.map((p) => ({ questionId: p.questionId, position: p.position })),
  );
  const added = order.filter((p) => !previous.has(p.questionId));
  if (added.length > 0) {
    await trx
      .insertInto('order_paper_entries')
      .values(added.map((p) => ({ meeting_id: meeting.id, question_id: p.questionId, position: p.position, published_at: publishedAt })))
      .execute();
  }

  const referenceOfId = new Map(rows.map((r) => [r.id, referenceOf(r)]));
  await recordAudit(trx, actor, {
    action: 'order_paper.compiled',
    recordType: 'order_paper',
    recordId: meeting.id,
    fromState: from,
    toState: from === 'published' ? 'published' : 'compiled',
    details: {
      method: 'quota method (D’Hondt with upper quota), by party group size on the meeting day',
      groups: groups.map((g) => ({ key: g.key, name: g.name, members: g.members })),
      positions: order.map((p) => ({
        questionId: p.questionId,
        reference: referenceOfId.get(p.questionId) ?? null,
        fromPosition: previous.get(p.questionId) ?? null,
        toPosition: p.position,
      })),
      removed: dropped.map((e) => ({ questionId: e.question_id, fromPosition: e.position })),
    },
  });
  return { meetingId: meeting.id, positions: order.map((p) => ({ questionId: p.questionId, position: p.position })) };
}

export interface MovedOnOrderPaper {
  meetingId: number;
  questionId: number;
  fromPosition: number;
  toPosition: number;
}

/** The clerk moves one question up, down or to a position by hand; the others close up around it. Audited with from/to. */
export async function moveOnOrderPaper(
  trx: Db,
  actor: Actor,
  input: z.input<typeof MoveInput>,
  options: WorkflowOptions = {},
): Promise<MovedOnOrderPaper> {
  const about = 'The move';
  const data = parseInput(MoveInput, input, about);
  const now = nowOf(options);
  requireClerk(actor);
  const meeting = await lockMeeting(trx, data.meetingId, now);
  requireChangeable(meeting);
  const entries = await entriesOf(trx, meeting.id);
  if (entries.length === 0) throw new AppError('conflict', 'Compile the order paper before changing its order.');
  const index = entries.findIndex((e) => e.question_id === data.questionId);
  if (index === -1) throw fieldError('questionId', 'Choose a question that is on this order paper', about);

  let target: number;
  if (data.direction === 'up') {
    if (index === 0) throw new AppError('conflict', 'That question is already first on the order paper.');
    target = index - 1;
  } else if (data.direction === 'down') {
    if (index === entries.length - 1) throw new AppError('conflict', 'That question is already last on the order paper.');
    target = index + 1;
  } else {
    const position = data.position!;
    if (position > entries.length) throw fieldError('position', `Enter a position from 1 to ${entries.length}`, about);
    if (position === index + 1) throw fieldError('position', `The question is already at position ${position}`, about);
    target = position - 1;
  }

  const reordered = [...entries];
  const [moving] = reordered.splice(index, 1);
  reordered.splice(target, 0, moving!);
  // Numbered 1..n in the new order; only rows whose number changed are written.
  const changes = reordered.map((e, i) => ({ questionId: e.question_id, position: i + 1 })).filter((c, i) => reordered[i]!.position !== c.position);
  await rewritePositions(trx, meeting.id, changes);

  const fromPosition = moving!.position;
  const toPosition = target + 1;
  const question = await trx.selectFrom('questions').select(['reference_year', 'reference_number']).where('id', '=', data.questionId).executeTakeFirstOrThrow();
  const status = statusOf(entries);
  await recordAudit(trx, actor, {
    action: 'order_paper.question_moved',
    recordType: 'order_paper',
    recordId: meeting.id,
    fromState: status,
    toState: status,
    details: { questionId: data.questionId, reference: referenceOf(question), fromPosition, toPosition },
  });
  return { meetingId: meeting.id, questionId: data.questionId, fromPosition, toPosition };
}

export interface PublishedOrderPaper {
  meetingId: number;
  publishedAt: Date;
}

/** The clerk publishes the compiled paper: from then on it is public at /meetings/:slug/order-paper. */
export async function publishOrderPaper(
  trx: Db,
  actor: Actor,
  input: z.input<typeof PublishInput>,
  options: WorkflowOptions = {},
): Promise<PublishedOrderPaper> {
  const data = parseInput(PublishInput, input, 'Publishing the order paper');
  const now = nowOf(options);
  requireClerk(actor);
  const meeting = await lockMeeting(trx, data.meetingId, now);
  if (meeting.state === 'cancelled') throw new AppError('conflict', 'This meeting was cancelled, so its order paper cannot be published.');
  const entries = await entriesOf(trx, meeting.id);
  const status = statusOf(entries);
  if (status === 'not_compiled') throw new AppError('conflict', 'Compile the order paper before publishing it.');
  if (status === 'published') throw new AppError('conflict', 'The order paper is already published.');
  if (!meeting.started) {
    // Before the meeting every accepted oral question belongs on the paper; compiling again adds the missing ones.
    const missing = await trx
      .selectFrom('questions')
      .leftJoin('order_paper_entries', 'order_paper_entries.question_id', 'questions.id')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('questions.meeting_id', '=', meeting.id)
      .where('questions.question_type', '=', 'oral')
      .where('questions.state', '=', 'accepted')
      .where('order_paper_entries.question_id', 'is', null)
      .executeTakeFirstOrThrow();
    const count = Number(missing.count);
    if (count > 0) {
      throw new AppError(
        'conflict',
        `${count} accepted oral ${count === 1 ? 'question is' : 'questions are'} not on the order paper. Compile it again to add ${count === 1 ? 'it' : 'them'} before publishing.`,
      );
    }
  }
  await trx.updateTable('order_paper_entries').set({ published_at: now }).where('meeting_id', '=', meeting.id).execute();
  await recordAudit(trx, actor, {
    action: 'order_paper.published',
    recordType: 'order_paper',
    recordId: meeting.id,
    fromState: status,
    toState: 'published',
    details: { questions: entries.length, publishedAt: now.toISOString() },
  });
  return { meetingId: meeting.id, publishedAt: now };
}
