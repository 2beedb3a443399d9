// The clerk's side of the question lifecycle, in the browser and the API: the queue of tabled questions, reviewing one
// (accept, reject, correct, move) and recording that a meeting's questions were asked.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { isAppError, type AppError } from '../errors/app-error.ts';
import { formId, formIds, formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, type FormErrors } from '../web/forms.ts';
import { clerkMeeting, clerkMeetings } from './clerk-meetings.queries.ts';
import { clerkQuestion, moveTargets, requireNotDraft, topicChoices } from './clerk-review.queries.ts';
import { acceptQuestion, clerkEditQuestion, markAsked, moveQuestion, rejectQuestion } from './clerk.commands.ts';
import { askedStatus, presentAskedQuestion, presentClerkQuestion, presentQueuedQuestion, questionStateNames, questionTypeNames } from './clerk.presenter.ts';
import { clerkQueue } from './clerk.queries.ts';
import { findMeeting, type WorkflowOptions } from './workflow.repository.ts';

type Refused = { ok: false; error: AppError; errors: FormErrors };

/**
 * Runs an action; a refusal (validation_failed, conflict, forbidden) comes back to re-render the page with, instead
 * of being thrown. The command's transaction has rolled back by then, so nothing was saved.
 */
async function attempt<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | Refused> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const errors = errorsFrom(error);
    if (!errors || !isAppError(error)) throw error;
    return { ok: false, error, errors };
  }
}

/**
 * Points the error summary at the fields on the page: a refusal about the whole action links to that action's
 * section, and the commands' field names that have no control of their own link to the control that stands for them.
 */
function pageErrors(refused: Refused, section: string, aliases: Record<string, string> = {}): FormErrors {
  const href = (h: string) => {
    const field = h.slice(1);
    return `#${field === 'form' || field === 'input' ? (aliases[field] ?? section) : (aliases[field] ?? field)}`;
  };
  const fields: FormErrors['fields'] = {};
  for (const [field, message] of Object.entries(refused.errors.fields)) fields[href(`#${field}`).slice(1)] ??= message;
  return { list: refused.errors.list.map((e) => ({ text: e.text, href: href(e.href) })), fields };
}

/** Form and JSON values go to the command as they came: the command's zod schema is what validates them. */
function asInput<T>(value: Record<string, unknown>): T {
  return value as T;
}

const dayAndTitle = (m: { title: string; meetsOn: string }) => `${m.title}, ${formatLongDate(m.meetsOn)}`;

export async function clerkWorkRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const clerkOnly = { preHandler: requireRole('clerk') };

  const page = async (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    reply.status(status).render(template, { site: await app.site(), section: 'work', errorTitle: Boolean(context.errors), ...context });

  // The queue -------------------------------------------------------------------------------------------------

  app.get<{ Querystring: { meeting?: string } }>('/work/clerk', clerkOnly, async (request, reply) => {
    const queue = await clerkQueue(db, actorOf(request));
    const meetingId = formId(request.query.meeting);
    const meetings = [...new Map(queue.map((q) => [q.meeting.id, q.meeting])).values()].sort((a, b) => a.meetsOn.localeCompare(b.meetsOn) || a.id - b.id);
    const chosen = meetings.find((m) => m.id === meetingId);
    const questions = chosen ? queue.filter((q) => q.meeting.id === chosen.id) : queue;
    return page(reply, 'workflow/views/clerk-queue.njk', {
      title: 'Questions to review',
      questions,
      total: queue.length,
      typeNames: questionTypeNames,
      chosen: chosen ? { id: chosen.id, label: dayAndTitle(chosen) } : null,
      meetingItems: [
        { value: '', text: 'All meetings' },
        ...meetings.map((m) => ({ value: String(m.id), text: dayAndTitle(m), selected: m.id === chosen?.id })),
      ],
    });
  });

  app.get<{ Querystring: { meeting?: string } }>('/api/v1/work/clerk/queue', clerkOnly, async (request) => {
    const meetingId = formId(request.query.meeting);
    const queue = (await clerkQueue(db, actorOf(request))).filter((q) => meetingId === undefined || q.meeting.id === meetingId);
    return { count: queue.length, questions: queue.map(presentQueuedQuestion) };
  });

  // Reviewing one question ------------------------------------------------------------------------------------

  interface ReviewValues {
    title?: string;
    topicIds?: number[];
    meetingId?: number;
    reason?: string;
  }
  /** A refused action, and the section of the page it came from. */
  interface ReviewRefusal {
    refused: Refused;
    section: 'decision' | 'correct' | 'move';
    aliases?: Record<string, string>;
  }

  const reviewPage = async (request: FastifyRequest, reply: FastifyReply, questionId: number, extra: { refusal?: ReviewRefusal; values?: ReviewValues } = {}) => {
    const question = await clerkQuestion(db, actorOf(request), questionId);
    const canDecide = question.state === 'tabled';
    const canCorrect = question.state === 'tabled' || question.state === 'accepted';
    const canMove = canCorrect && question.askedOn === null;
    const topics = canCorrect ? await topicChoices(db) : [];
    const meetings = canMove ? await moveTargets(db, question, app.now()) : [];
    const values = { title: question.title, topicIds: question.topics.map((t) => t.id), reason: '', ...extra.values };
    // The decision section is always on the page (it says what was decided); the others only while they apply.
    const shown = { decision: true, correct: canCorrect, move: canMove };
    const refusal = extra.refusal;
    const errors = refusal ? pageErrors(refusal.refused, shown[refusal.section] ? refusal.section : 'decision', refusal.aliases) : undefined;
    return page(
      reply,
      'workflow/views/clerk-question.njk',
      {
        title: question.reference ? `Question ${question.reference}: ${question.title}` : `Review: ${question.title}`,
        question,
        typeName: questionTypeNames[question.type],
        stateName: questionStateNames[question.state],
        canDecide,
        canCorrect,
        canMove,
        values,
        topicItems: topics.map((t) => ({ value: String(t.id), text: t.name, checked: values.topicIds.includes(t.id) })),
        meetingItems: [
          { value: '', text: 'Choose a meeting' },
          ...meetings.map((m) => ({ value: String(m.id), text: dayAndTitle(m), selected: m.id === values.meetingId })),
        ],
        hasMeetings: meetings.length > 0,
        errors,
      },
      refusal?.refused.error.status ?? 200,
    );
  };

  app.get<{ Params: { id: string } }>('/work/clerk/questions/:id', clerkOnly, async (request, reply) =>
    reviewPage(request, reply, idParam(request.params.id, 'The question')),
  );

  app.post<{ Params: { id: string } }>('/work/clerk/questions/:id/accept', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const questionId = idParam(request.params.id, 'The question');
    const result = await attempt(() =>
      runCommand(app, async (trx, options) => {
        await requireNotDraft(trx, questionId);
        return acceptQuestion(trx, actor, { questionId }, options);
      }),
    );
    if (!result.ok) return reviewPage(request, reply, questionId, { refusal: { refused: result, section: 'decision' } });
    request.session.set('flash', `Accepted as ${result.value.reference}. The member has been told the reference.`);
    return reply.redirect('/work/clerk', 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/questions/:id/reject', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const questionId = idParam(request.params.id, 'The question');
    const form = formObject.parse(request.body ?? {});
    const reason = formText(form.reason);
    const result = await attempt(() =>
      runCommand(app, async (trx, options) => {
        await requireNotDraft(trx, questionId);
        return rejectQuestion(trx, actor, asInput({ questionId, reason }), options);
      }),
    );
    if (!result.ok) return reviewPage(request, reply, questionId, { refusal: { refused: result, section: 'decision' }, values: { reason: reason ?? '' } });
    request.session.set('flash', 'The question was rejected. The member has been sent the reason.');
    return reply.redirect('/work/clerk', 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/questions/:id/edit', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const questionId = idParam(request.params.id, 'The question');
    const form = formObject.parse(request.body ?? {});
    const title = formText(form.title);
    const topicIds = formIds(form.topicIds);
    const result = await attempt(() =>
      runCommand(app, async (trx, options) => {
        await requireNotDraft(trx, questionId);
        return clerkEditQuestion(trx, actor, asInput({ questionId, title, topicIds }), options);
      }),
    );
    if (!result.ok) {
      const values = { title: title ?? '', topicIds: topicIds.filter((n) => Number.isInteger(n)) };
      return reviewPage(request, reply, questionId, { refusal: { refused: result, section: 'correct', aliases: { input: 'title' } }, values });
    }
    request.session.set(
      'flash',
      result.value.changed.length === 0 ? 'Nothing was changed: the title and topics were already as shown.' : 'The correction was saved and recorded in the audit trail.',
    );
    return reply.redirect(`/work/clerk/questions/${questionId}`, 303);
  });

  app.post<{ Params: { id: string } }>('/work/clerk/questions/:id/move', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const questionId = idParam(request.params.id, 'The question');
    const form = formObject.parse(request.body ?? {});
    const meetingId = formId(form.meetingId);
    const result = await attempt(() =>
      runCommand(app, async (trx, options) => {
        await requireNotDraft(trx, questionId);
        const moved = await moveQuestion(trx, actor, asInput({ questionId, meetingId }), options);
        return findMeeting(trx, moved.meetingId);
      }),
    );
    if (!result.ok) {
      const values = meetingId !== undefined && Number.isInteger(meetingId) ? { meetingId } : {};
      return reviewPage(request, reply, questionId, { refusal: { refused: result, section: 'move' }, values });
    }
    const target = result.value;
    request.session.set('flash', target ? `The question was moved to ${dayAndTitle({ title: target.title, meetsOn: target.meets_on })}.` : 'The question was moved.');
    return reply.redirect(`/work/clerk/questions/${questionId}`, 303);
  });

  // The same actions through the API: JSON in, the question as it now stands out.

  type ClerkCommand = (trx: Db, actor: Actor, input: Record<string, unknown>, options: WorkflowOptions) => Promise<unknown>;
  const questionAction = (path: string, command: ClerkCommand) =>
    app.post<{ Params: { id: string } }>(`/api/v1/work/questions/:id/${path}`, clerkOnly, async (request) => {
      const actor = actorOf(request);
      const questionId = idParam(request.params.id, 'The question');
      const input = { ...jsonBody(request), questionId };
      const question = await runCommand(app, async (trx, options) => {
        await requireNotDraft(trx, questionId);
        await command(trx, actor, input, options);
        return clerkQuestion(trx, actor, questionId);
      });
      return presentClerkQuestion(question);
    });

  questionAction('accept', (trx, actor, input, options) => acceptQuestion(trx, actor, asInput(input), options));
  questionAction('reject', (trx, actor, input, options) => rejectQuestion(trx, actor, asInput(input), options));
  questionAction('clerk-edit', (trx, actor, input, options) => clerkEditQuestion(trx, actor, asInput(input), options));
  questionAction('move', (trx, actor, input, options) => moveQuestion(trx, actor, asInput(input), options));

  // Meetings --------------------------------------------------------------------------------------------------

  app.get('/work/clerk/meetings', clerkOnly, async (request, reply) => {
    const { upcoming, recent } = await clerkMeetings(db, actorOf(request), app.now());
    return page(reply, 'workflow/views/clerk-meetings.njk', { title: 'Meetings', upcoming, recent });
  });

  const meetingPage = async (request: FastifyRequest, reply: FastifyReply, meetingId: number, extra: { errors?: FormErrors; reached?: number[] } = {}, status = 200) => {
    const meeting = await clerkMeeting(db, actorOf(request), meetingId, app.now());
    const waiting = meeting.questions.filter((q) => q.askedOn === null);
    const waitingOral = waiting.filter((q) => q.type === 'oral');
    const reached = extra.reached ?? waitingOral.filter((q) => q.reachedOnOrderPaper === true).map((q) => q.id);
    return page(
      reply,
      'workflow/views/clerk-meeting.njk',
      {
        title: dayAndTitle(meeting),
        meeting,
        questions: meeting.questions.map((q) => ({ ...q, typeName: questionTypeNames[q.type], status: askedStatus(q) })),
        waiting,
        waitingOral,
        waitingWritten: waiting.filter((q) => q.type !== 'oral'),
        reachedItems: waitingOral.map((q) => ({
          value: String(q.id),
          text: `${q.reference ?? ''} ${q.title} (${q.askerName})`.trim(),
          checked: reached.includes(q.id),
        })),
        errors: extra.errors,
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/work/clerk/meetings/:id', clerkOnly, async (request, reply) =>
    meetingPage(request, reply, idParam(request.params.id, 'The meeting')),
  );

  app.post<{ Params: { id: string } }>('/work/clerk/meetings/:id/asked', clerkOnly, async (request, reply) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const form = formObject.parse(request.body ?? {});
    // Ticked: reached. The page lists the oral questions it showed, so an unticked one is "not reached" only if the
    // clerk saw it; a question accepted since then is left to the order paper (or refused) rather than guessed.
    const reached = formIds(form.reachedQuestionIds);
    const shown = formIds(form.oralQuestionIds);
    const notReached = shown.filter((q) => !reached.includes(q));
    const result = await attempt(() =>
      runCommand(app, (trx, options) => markAsked(trx, actor, asInput({ meetingId, reachedQuestionIds: reached, notReachedQuestionIds: notReached }), options)),
    );
    if (!result.ok) {
      const errors = pageErrors(result, 'mark-asked', { notReachedQuestionIds: 'reachedQuestionIds' });
      return meetingPage(request, reply, meetingId, { errors, reached: reached.filter((n) => Number.isInteger(n)) }, result.error.status);
    }
    const count = result.value.questions.length;
    const due = result.value.questions.find((q) => q.dueOn !== null)?.dueOn;
    request.session.set(
      'flash',
      `${count} ${count === 1 ? 'question was' : 'questions were'} marked as asked.${due ? ` Written answers are due by the end of ${formatLongDate(due)}.` : ''}`,
    );
    return reply.redirect(`/work/clerk/meetings/${meetingId}`, 303);
  });

  app.post<{ Params: { id: string } }>('/api/v1/work/meetings/:id/mark-asked', clerkOnly, async (request) => {
    const actor = actorOf(request);
    const meetingId = idParam(request.params.id, 'The meeting');
    const input = { ...jsonBody(request), meetingId };
    const result = await runCommand(app, (trx, options) => markAsked(trx, actor, asInput(input), options));
    return { meetingId: result.meetingId, questions: result.questions.map(presentAskedQuestion) };
  });
}
