// The Priority Order Paper on the web: the clerk compiles, reorders and publishes it (browser and API); the public
// reads the published paper as a printable page, CSV and JSON.
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { formId, formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, type FormErrors } from '../web/forms.ts';
import type { WorkflowOptions } from '../workflow/workflow.repository.ts';
import { meetingTypeNames } from './meeting.presenter.ts';
import { compileOrderPaper, moveOnOrderPaper, publishOrderPaper } from './order-paper.commands.ts';
import {
  isPublic,
  loadOrderPaper,
  orderPaperMeetingById,
  orderPaperMeetingBySlug,
  outstandingOralQuestions,
  type OrderPaper,
  type OrderPaperRow,
} from './order-paper.queries.ts';

const STATUS_NAMES = { not_compiled: 'Not compiled', compiled: 'Compiled, not published', published: 'Published' } as const;

/** Said on the page, in the JSON and in ARCHITECTURE.md: how the default order is made (see order-paper.ts). */
export const ORDER_PAPER_METHOD = [
  'Oral questions are shared among the party groups in proportion to the number of Assembly Members in each group on the day of the meeting. A member in no party group counts as a group of one.',
  "Turns are dealt one at a time by the quota method (D'Hondt's rule with a ceiling). A turn goes to the group with the most members per turn already had (members ÷ (turns had + 1)), among the groups that would not then be a whole turn or more ahead of their proportional share. An exact tie goes to the larger group, then to the group that tabled its first question earliest, then by name. After any number of turns, every group has had its proportional share rounded down or up.",
  "Each group's questions are taken in the order they were tabled. A group with no questions left passes its turn to the next group in the sequence.",
  'The clerk may then change the order by hand. Every change is recorded.',
];

// Presenters: the fields the public and the clerk's API see, listed one by one.

function presentPublicRow(row: OrderPaperRow, publicUrl: string) {
  return {
    position: row.position,
    reference: row.reference,
    title: row.title,
    withdrawn: row.state === 'withdrawn',
    asker: { slug: row.askerSlug, name: row.askerName, url: `${publicUrl}/members/${row.askerSlug}` },
    partyGroup: row.groupLabel,
    url: row.reference ? `${publicUrl}/questions/${row.reference}` : null,
  };
}

/** Only questions with a public reference (accepted, or withdrawn after acceptance) ever appear publicly. */
const publicRows = (paper: OrderPaper) => paper.rows.filter((r) => r.reference !== null && (r.state === 'accepted' || r.state === 'withdrawn'));

function presentPublicPaper(paper: OrderPaper, publicUrl: string) {
  const m = paper.meeting;
  return {
    meeting: {
      slug: m.slug,
      title: m.title,
      type: m.meetingType,
      typeName: meetingTypeNames[m.meetingType] ?? m.meetingType,
      date: m.meetsOn,
      startsAt: m.startsAt.toISOString(),
      place: m.place,
      url: `${publicUrl}/meetings/${m.slug}`,
    },
    url: `${publicUrl}/meetings/${m.slug}/order-paper`,
    csv: `${publicUrl}/meetings/${m.slug}/order-paper.csv`,
    publishedAt: paper.publishedAt?.toISOString() ?? null,
    followsDefaultOrder: paper.followsDefaultOrder,
    method: ORDER_PAPER_METHOD,
    partyGroups: paper.groups.map((g) => ({ name: g.label === 'Independent' ? g.name : g.label, members: g.members, questions: g.onPaper })),
    entries: publicRows(paper).map((r) => presentPublicRow(r, publicUrl)),
  };
}

function presentClerkPaper(paper: OrderPaper) {
  return {
    meetingId: paper.meeting.id,
    meetingSlug: paper.meeting.slug,
    status: paper.status,
    publishedAt: paper.publishedAt?.toISOString() ?? null,
    followsDefaultOrder: paper.followsDefaultOrder,
    partyGroups: paper.groups.map((g) => ({ key: g.key, name: g.name, label: g.label, members: g.members, questions: g.onPaper })),
    entries: paper.rows.map((r) => ({
      position: r.position,
      questionId: r.questionId,
      reference: r.reference,
      title: r.title,
      state: r.state,
      asker: { id: r.askerId, slug: r.askerSlug, name: r.askerName },
      partyGroup: r.groupLabel,
      reached: r.reached,
    })),
  };
}

const CSV_HEADER = ['position', 'reference', 'title', 'asker', 'party_group', 'withdrawn'];

function orderPaperCsv(paper: OrderPaper): string {
  const rows = publicRows(paper).map((r) => [String(r.position), r.reference ?? '', r.title, r.askerName, r.groupLabel, r.state === 'withdrawn' ? 'yes' : 'no']);
  // escape_formulas: a title beginning "=" or "+" stays text when the file is opened in a spreadsheet.
  return stringify([CSV_HEADER, ...rows], { bom: true, record_delimiter: 'windows', escape_formulas: true });
}

type Refused = { ok: false; error: AppError; errors: FormErrors };

/** Runs an action; a refusal comes back to re-render the page with (the transaction has rolled back: nothing saved). */
async function attempt<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | Refused> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const errors = errorsFrom(error);
    if (!errors || !isAppError(error)) throw error;
    return { ok: false, error, errors };
  }
}

/** Points the error summary at controls on the page: whole-action refusals link to the section the action is in. */
function pageErrors(refused: Refused, section: string, aliases: Record<string, string> = {}): FormErrors {
  const target = (field: string) => aliases[field] ?? (field === 'form' || field === 'input' || field === 'meetingId' ? section : field);
  const fields: FormErrors['fields'] = {};
  for (const [field, message] of Object.entries(refused.errors.fields)) fields[target(field)] ??= message;
  return { list: refused.errors.list.map((e) => ({ text: e.text, href: `#${target(e.href.slice(1))}` })), fields };
}

/** Form and JSON values go to the command as they came: its zod schema validates them. */
function asInput<T>(value: Record<string, unknown>): T {
  return value as T;
}

export async function orderPaperRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const clerkOnly = { preHandler: requireRole('clerk') };

  async function meetingOr404(meetingId: number) {
    const meeting = await orderPaperMeetingById(db, meetingId);
    if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
    return meeting;
  }

  /** The published paper, or 404: before publication there is no such page. */
  async function publishedPaper(slug: string): Promise<OrderPaper> {
    const meeting = await orderPaperMeetingBySlug(db, slug);
    const paper = meeting ? await loadOrderPaper(db, meeting) : undefined;
    if (!paper || !isPublic(paper, app.now())) throw new AppError('not_found', 'This meeting has no published Priority Order Paper.');
    return paper;
  }

  // Public ------------------------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string } }>('/meetings/:slug/order-paper', async (request, reply) => {
    const paper = await publishedPaper(request.params.slug);
    return reply.render('meetings/views/order-paper.njk', {
      site: await app.site(),
      section: 'meetings',
      title: `Priority Order Paper: ${paper.meeting.title}, ${formatLongDate(paper.meeting.meetsOn)}`,
      paper: presentPublicPaper(paper, ''),
      groups: paper.groups,
      totalMembers: paper.totalMembers,
      method: ORDER_PAPER_METHOD,
    });
  });

  app.get<{ Params: { slug: string } }>('/meetings/:slug/order-paper.csv', async (request, reply) => {
    const paper = await publishedPaper(request.params.slug);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${paper.meeting.slug}-order-paper.csv"`)
      .send(orderPaperCsv(paper));
  });

  const publicJson = async (request: FastifyRequest<{ Params: { slug: string } }>) =>
    presentPublicPaper(await publishedPaper(request.params.slug), app.ctx.config.publicUrl);
  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug/order-paper', publicJson);
  // The same, beside the other papers' JSON (papers.ts names it so).
  app.get<{ Params: { slug: string } }>('/api/v1/meetings/:slug/papers/order-paper', publicJson);

  // The clerk's page --------------------------------------------------------------------------------------------

  interface PageExtra {
    errors?: FormErrors;
    values?: { questionId?: number; position?: string };
    status?: number;
  }

  const clerkPage = async (request: FastifyRequest, reply: FastifyReply, meetingId: number, extra: PageExtra = {}) => {
    const meeting = await meetingOr404(meetingId);
    const paper = await loadOrderPaper(db, meeting);
    const outstanding = await outstandingOralQuestions(db, meeting.id);
    const now = app.now();
    const held = meeting.state === 'held' || now.getTime() >= meeting.startsAt.getTime();
    const canChange = meeting.state !== 'cancelled' && !held;
    return reply.status(extra.status ?? 200).render('meetings/views/order-paper-clerk.njk', {
      site: await app.site(),
      section: 'work',
      errorTitle: Boolean(extra.errors),
      title: `Priority Order Paper: ${meeting.title}, ${formatLongDate(meeting.meetsOn)}`,
      meeting,
      paper,
      statusName: STATUS_NAMES[paper.status],
      publicNow: isPublic(paper, now),
      outstanding,
      held,
      canChange,
      canPublish: paper.status === 'compiled' && meeting.state !== 'cancelled',
      method: ORDER_PAPER_METHOD,
      errors: extra.errors,
      values: { position: '', ...extra.values },
      questionItems: [
        { value: '', text: 'Choose a question' },
        ...paper.rows.map((r) => ({
          value: String(r.questionId),
          text: `${r.position}. ${r.reference ?? ''} ${r.title} (${r.askerName})`,
          selected: r.questionId === extra.values?.questionId,
        })),
      ],
    });
  };

  const base = (id: number) => `/work/clerk/meetings/${id}/order-paper`;

  app.get<{ Params: { id: string } }>('/work/clerk/meetings/:id/order-paper', clerkOnly, async (request, reply) =>
    clerkPage(request, reply, idParam(request.params.id, 'The meeting')),
  );

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/order-paper/compile', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    await meetingOr404(meetingId);
    const result = await attempt(() => runCommand(app, (trx, options) => compileOrderPaper(trx, actor, { meetingId }, options)));
    if (!result.ok) return clerkPage(request, reply, meetingId, { errors: pageErrors(result, 'compile'), status: result.error.status });
    const n = result.value.positions.length;
    request.session.set('flash', `The order paper was compiled in the default order: ${n} ${n === 1 ? 'question' : 'questions'}.`);
    return reply.redirect(base(meetingId), 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/order-paper/move', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    await meetingOr404(meetingId);
    const form = formObject.parse(request.body ?? {});
    const questionId = formId(form.questionId);
    const direction = formText(form.direction) || undefined;
    const positionText = formText(form.position)?.trim() ?? '';
    const position = direction === undefined ? formId(positionText) : undefined;
    const result = await attempt(() =>
      runCommand(app, (trx, options) => moveOnOrderPaper(trx, actor, asInput({ meetingId, questionId, direction, position }), options)),
    );
    if (!result.ok) {
      // A refused up/down button points at the table; a refused "move to position" at its fields.
      const section = direction === undefined ? 'move-to-position' : 'order-paper';
      const aliases: Record<string, string> = direction === undefined ? {} : { questionId: 'order-paper', direction: 'order-paper', position: 'order-paper' };
      const values = { ...(questionId !== undefined && Number.isInteger(questionId) ? { questionId } : {}), position: direction === undefined ? positionText : '' };
      return clerkPage(request, reply, meetingId, { errors: pageErrors(result, section, aliases), values, status: result.error.status });
    }
    const moved = result.value;
    request.session.set('flash', `The question moved from position ${moved.fromPosition} to position ${moved.toPosition}.`);
    return reply.redirect(base(meetingId), 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/order-paper/publish', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const meeting = await meetingOr404(meetingId);
    const result = await attempt(() => runCommand(app, (trx, options) => publishOrderPaper(trx, actor, { meetingId }, options)));
    if (!result.ok) return clerkPage(request, reply, meetingId, { errors: pageErrors(result, 'publish'), status: result.error.status });
    request.session.set('flash', `The Priority Order Paper is published at /meetings/${meeting.slug}/order-paper.`);
    return reply.redirect(base(meetingId), 303);
  });

  // The clerk's API: JSON in, the order paper as it now stands out ------------------------------------------------

  type PaperCommand = (trx: Db, actor: Actor, input: Record<string, unknown>, options: WorkflowOptions) => Promise<unknown>;
  const paperAction = (path: string, command: PaperCommand) =>
    app.post<{ Params: { id: string } }>(`/api/v1/work/meetings/:id/order-paper/${path}`, clerkOnly, async (request) => {
      const actor = actorOf(request);
      const meetingId = idParam(request.params.id, 'The meeting');
      const input = { ...jsonBody(request), meetingId };
      const { result, paper } = await runCommand(app, async (trx, options) => {
        const result = await command(trx, actor, input, options);
        const meeting = await orderPaperMeetingById(trx, meetingId);
        if (!meeting) throw new AppError('not_found', 'The meeting was not found.');
        return { result, paper: await loadOrderPaper(trx, meeting) };
      });
      const moved = path === 'move' ? (result as { questionId: number; fromPosition: number; toPosition: number }) : undefined;
      return {
        ...presentClerkPaper(paper),
        ...(moved ? { moved: { questionId: moved.questionId, fromPosition: moved.fromPosition, toPosition: moved.toPosition } } : {}),
      };
    });

  paperAction('compile', (trx, actor, input, options) => compileOrderPaper(trx, actor, asInput(input), options));
  paperAction('move', (trx, actor, input, options) => moveOnOrderPaper(trx, actor, asInput(input), options));
  paperAction('publish', (trx, actor, input, options) => publishOrderPaper(trx, actor, asInput(input), options));

  app.get<{ Params: { id: string } }>('/api/v1/work/meetings/:id/order-paper', clerkOnly, async (request) =>
    presentClerkPaper(await loadOrderPaper(db, await meetingOr404(idParam(request.params.id, 'The meeting')))),
  );
}
