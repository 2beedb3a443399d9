// The clerk records a meeting, in the browser and through the API: attendance, which oral questions were reached,
// the transcript (turns and supplementaries) and the oral answers. Every change is one command in one transaction.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { formatLongDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { AttendanceCapacity } from '../db/schema.ts';
import { isAppError, type AppError } from '../errors/app-error.ts';
import { formId, formIds, formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import { errorsFrom, type FormErrors } from '../web/forms.ts';
import type { WorkflowOptions } from '../workflow/workflow.repository.ts';
import {
  addSupplementary,
  addTranscriptTurn,
  publishOralAnswer,
  recordAttendance,
  recordReached,
  removeTranscriptTurn,
  type PublishedOralAnswer,
  type RecordedSupplementary,
  type RecordedTurn,
} from './record.commands.ts';
import { meetingRecordForClerk, speakersOf, type MeetingRecordForClerk, type RecordTurn } from './record.queries.ts';

// Presenters for the clerk's API -----------------------------------------------------------------------------------

function presentTurn(t: RecordTurn) {
  return { id: t.id, position: t.position, speaker: { id: t.speaker.id, name: t.speaker.name }, text: t.text };
}

function presentRecordedTurn(t: RecordedTurn) {
  return {
    id: t.id,
    meetingId: t.meetingId,
    questionId: t.questionId,
    position: t.position,
    speaker: { id: t.speaker.id, name: t.speaker.name, capacity: t.speaker.capacity },
    text: t.text,
  };
}

function presentSupplementary(s: RecordedSupplementary) {
  return {
    id: s.id,
    oralQuestionId: s.oralQuestionId,
    number: s.number,
    title: s.title,
    asker: { id: s.asker.id, name: s.asker.name },
    askedOn: s.askedOn,
    transcript: [presentRecordedTurn(s.turn)],
  };
}

function presentOralAnswer(a: PublishedOralAnswer) {
  return {
    answerVersionId: a.answerVersionId,
    questionId: a.questionId,
    version: a.version,
    kind: 'substantive' as const,
    delivery: 'oral' as const,
    answeredBy: { id: a.answeredBy.id, name: a.answeredBy.name, role: a.answeredBy.label },
    text: a.text,
    publishedAt: a.publishedAt.toISOString(),
  };
}

export function presentClerkRecord(r: MeetingRecordForClerk) {
  return {
    meeting: { id: r.meeting.id, slug: r.meeting.slug, title: r.meeting.title, date: r.meeting.meetsOn, startsAt: r.meeting.startsAt.toISOString(), place: r.meeting.place, state: r.meeting.state },
    recordingOpen: r.closedBecause === null,
    closedBecause: r.closedBecause,
    attendance: r.attendees.map((a) => ({ personId: a.personId, name: a.name, capacity: a.capacity })),
    oralQuestions: r.oral.map((q) => ({
      id: q.id,
      reference: q.reference,
      title: q.title,
      asker: { id: q.asker.id, name: q.asker.name },
      position: q.position,
      askedOn: q.askedOn,
      dueOn: q.dueOn,
      reached: q.reached,
      notReached: q.notReached,
      oralAnswerPublished: q.oralAnswerPublished,
      transcript: q.turns.map(presentTurn),
      supplementaries: q.supplementaries.map((s) => ({ id: s.id, number: s.number, title: s.title, asker: { id: s.asker.id, name: s.asker.name }, transcript: s.turns.map(presentTurn) })),
    })),
  };
}

const capacityNames: Record<AttendanceCapacity, string> = {
  mayor: 'Mayor',
  deputy_mayor: 'Deputy mayor',
  commissioner: 'Commissioner',
  member: 'Member',
  officer: 'Officer',
  guest: 'Guest',
};

// Pages -------------------------------------------------------------------------------------------------------------

type Refused = { ok: false; error: AppError; errors: FormErrors };

/** Runs an action; a refusal (validation_failed, conflict, forbidden) comes back to re-render the page with. */
async function attempt<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | Refused> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const errors = errorsFrom(error);
    if (!errors || !isAppError(error)) throw error;
    return { ok: false, error, errors };
  }
}

/** Which form on the page failed, the fields it shows, and what the clerk had entered. */
interface FailedForm {
  key: string;
  fields: readonly string[];
  values: Record<string, unknown>;
}

/** Points each message at the failed form's own control (ids are "<form key>-<field>"), or at the form itself. */
function formErrorsFor(refused: Refused, form: FailedForm): FormErrors {
  const target = (field: string) => (form.fields.includes(field) ? `${form.key}-${field}` : form.key);
  const fields: FormErrors['fields'] = {};
  for (const [field, message] of Object.entries(refused.errors.fields)) fields[target(field)] ??= message;
  return { list: refused.errors.list.map((e) => ({ text: e.text, href: `#${target(e.href.slice(1))}` })), fields };
}

/** Form and JSON values go to the command as they came: the command's zod schema is what validates them. */
function asInput<T>(value: Record<string, unknown>): T {
  return value as T;
}

export async function meetingRecordRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const clerkOnly = { preHandler: requireRole('clerk') };
  const recordPath = (meetingId: number) => `/work/clerk/meetings/${meetingId}/record`;

  const recordPage = async (reply: FastifyReply, meetingId: number, failure?: { refused: Refused; form: FailedForm }) => {
    const record = await meetingRecordForClerk(db, meetingId, app.now());
    const { answering, members } = speakersOf(record);
    const errors = failure ? formErrorsFor(failure.refused, failure.form) : undefined;
    const failed = failure ? { key: failure.form.key, values: failure.form.values } : null;
    const chosen = failed?.key === 'attendance' ? (failed.values.personIds as number[]) : null;
    const picked = (q: MeetingRecordForClerk['oral'][number]): string => {
      if (failed?.key === 'reached') {
        const value = failed.values[String(q.id)];
        return typeof value === 'string' ? value : '';
      }
      return q.reached === true ? 'yes' : q.reached === false ? 'no' : '';
    };
    return reply.status(failure?.refused.error.status ?? 200).render('meetings/views/record-meeting.njk', {
      site: await app.site(),
      section: 'work',
      title: `Record: ${record.meeting.title}, ${formatLongDate(record.meeting.meetsOn)}`,
      errorTitle: Boolean(errors),
      record,
      speakers: [...answering, ...members],
      members,
      errors,
      failed,
      attendanceItems: record.candidates.map((c) => ({
        value: String(c.personId),
        text: c.name,
        hint: { text: capacityNames[c.capacity] },
        checked: chosen ? chosen.includes(c.personId) : c.attending,
      })),
      reachedItems: record.waitingOral.map((q) => ({
        id: q.id,
        legend: `${q.position ? `${q.position}. ` : ''}${q.reference ?? ''}: ${q.title} (${q.asker.name})`,
        picked: picked(q),
      })),
    });
  };

  app.get<{ Params: { id: string } }>('/work/clerk/meetings/:id/record', clerkOnly, async (request, reply) =>
    recordPage(reply, idParam(request.params.id, 'The meeting')),
  );

  /** A form post: run the command; on success flash and go back to the page (at the form's anchor); else re-render. */
  const formAction = <T>(
    path: string,
    read: (form: Record<string, unknown>, params: Record<string, string>) => { form: FailedForm; input: Record<string, unknown> },
    command: (trx: Db, actor: Actor, input: Record<string, unknown>, options: WorkflowOptions) => Promise<T>,
    done: (value: T) => { flash: string; anchor?: string },
  ) =>
    app.post<{ Params: Record<string, string> }>(`/work/clerk/meetings/:id/record/${path}`, clerkOnly, async (request: FastifyRequest<{ Params: Record<string, string> }>, reply) => {
      const actor = actorOf(request);
      const meetingId = idParam(request.params.id, 'The meeting');
      const { form, input } = read(formObject.parse(request.body ?? {}), request.params);
      const result = await attempt(() => runCommand(app, (trx, options) => command(trx, actor, { ...input, meetingId }, options)));
      if (!result.ok) return recordPage(reply, meetingId, { refused: result, form });
      const { flash, anchor } = done(result.value);
      request.session.set('flash', flash);
      return reply.redirect(`${recordPath(meetingId)}${anchor ? `#${anchor}` : ''}`, 303);
    });

  formAction(
    'attendance',
    (form) => {
      const personIds = formIds(form.personIds);
      return { form: { key: 'attendance', fields: ['personIds'], values: { personIds } }, input: { personIds } };
    },
    (trx, actor, input, options) => recordAttendance(trx, actor, asInput(input), options),
    (r) => ({
      flash: r.added.length + r.removed.length === 0 ? 'The attendance was already as shown.' : `The attendance was saved: ${r.added.length} added, ${r.removed.length} removed.`,
      anchor: 'attendance',
    }),
  );

  formAction(
    'reached',
    (form) => {
      const shown = formIds(form.oralQuestionIds);
      const answer = (questionId: number) => formText(form[`reached-${questionId}`]);
      const reachedQuestionIds = shown.filter((q) => answer(q) === 'yes');
      const notReachedQuestionIds = shown.filter((q) => answer(q) === 'no');
      const values = Object.fromEntries(shown.map((q) => [String(q), answer(q) ?? '']));
      return { form: { key: 'reached', fields: [], values }, input: { reachedQuestionIds, notReachedQuestionIds } };
    },
    (trx, actor, input, options) => recordReached(trx, actor, asInput(input), options),
    (r) => {
      const due = r.questions.find((q) => q.dueOn !== null)?.dueOn;
      const count = r.questions.length;
      return {
        flash: `${count} ${count === 1 ? 'question was' : 'questions were'} marked as asked.${due ? ` Written answers are due by the end of ${formatLongDate(due)}.` : ''}`,
        anchor: 'reached',
      };
    },
  );

  formAction(
    'turns',
    (form) => {
      const questionId = formId(form.questionId);
      const speakerId = formId(form.speakerId);
      const text = formText(form.text);
      return { form: { key: `turn-${questionId ?? 'x'}`, fields: ['speakerId', 'text'], values: { speakerId, text } }, input: { questionId, speakerId, text } };
    },
    (trx, actor, input, options) => addTranscriptTurn(trx, actor, asInput(input), options),
    (t) => ({ flash: `Added to the transcript: ${t.speaker.name}.`, anchor: `question-${t.questionId}` }),
  );

  formAction(
    'turns/:turnId/remove',
    (_form, params) => {
      const turnId = idParam(params.turnId, 'The turn');
      return { form: { key: `remove-${turnId}`, fields: [], values: {} }, input: { turnId } };
    },
    (trx, actor, input, options) => removeTranscriptTurn(trx, actor, asInput(input), options),
    (r) => ({ flash: 'The turn was removed from the transcript.', ...(r.questionId ? { anchor: `question-${r.questionId}` } : {}) }),
  );

  formAction(
    'supplementaries',
    (form) => {
      const oralQuestionId = formId(form.oralQuestionId);
      const askerId = formId(form.askerId);
      const text = formText(form.text);
      return {
        form: { key: `new-supplementary-${oralQuestionId ?? 'x'}`, fields: ['askerId', 'text'], values: { askerId, text } },
        input: { oralQuestionId, askerId, text },
      };
    },
    (trx, actor, input, options) => addSupplementary(trx, actor, asInput(input), options),
    (s) => ({ flash: `Recorded “${s.title}”. Add the answer to it below.`, anchor: `question-${s.id}` }),
  );

  formAction(
    'oral-answers',
    (form) => {
      const questionId = formId(form.questionId);
      return { form: { key: `publish-${questionId ?? 'x'}`, fields: [], values: {} }, input: { questionId } };
    },
    (trx, actor, input, options) => publishOralAnswer(trx, actor, asInput(input), options),
    (a) => ({ flash: `The oral answer by ${a.answeredBy.name} was published.`, anchor: `question-${a.questionId}` }),
  );

  // The API: JSON in, the resulting record out -------------------------------------------------------------------

  app.get<{ Params: { id: string } }>('/api/v1/work/meetings/:id/record', clerkOnly, async (request) =>
    presentClerkRecord(await meetingRecordForClerk(db, idParam(request.params.id, 'The meeting'), app.now())),
  );

  const apiAction = <T>(
    path: string,
    status: 200 | 201,
    command: (trx: Db, actor: Actor, input: Record<string, unknown>, options: WorkflowOptions) => Promise<T>,
    present: (value: T) => unknown,
  ) =>
    app.post<{ Params: Record<string, string> }>(`/api/v1/work/meetings/:id/${path}`, clerkOnly, async (request, reply) => {
      const actor = actorOf(request);
      const meetingId = idParam(request.params.id, 'The meeting');
      const extra = request.params.turnId === undefined ? {} : { turnId: idParam(request.params.turnId, 'The turn') };
      const input = { ...jsonBody(request), ...extra, meetingId };
      const value = await runCommand(app, (trx, options) => command(trx, actor, input, options));
      return reply.status(status).send(present(value));
    });

  apiAction(
    'attendance',
    200,
    async (trx, actor, input, options) => {
      const result = await recordAttendance(trx, actor, asInput(input), options);
      return { result, record: await meetingRecordForClerk(trx, result.meetingId, options.now ?? new Date()) };
    },
    ({ result, record }) => ({
      meetingId: result.meetingId,
      added: result.added,
      removed: result.removed,
      attendance: record.attendees.map((a) => ({ personId: a.personId, name: a.name, capacity: a.capacity })),
    }),
  );
  apiAction(
    'reached',
    200,
    (trx, actor, input, options) => recordReached(trx, actor, asInput(input), options),
    (r) => ({
      meetingId: r.meetingId,
      questions: r.questions.map((q) => ({ id: q.questionId, reference: q.reference, askedOn: q.askedOn, dueOn: q.dueOn, notReached: q.notReached })),
    }),
  );
  apiAction('turns', 201, (trx, actor, input, options) => addTranscriptTurn(trx, actor, asInput(input), options), presentRecordedTurn);
  apiAction(
    'turns/:turnId/remove',
    200,
    (trx, actor, input, options) => removeTranscriptTurn(trx, actor, asInput(input), options),
    (r) => ({ removed: { id: r.turnId, questionId: r.questionId } }),
  );
  apiAction('supplementaries', 201, (trx, actor, input, options) => addSupplementary(trx, actor, asInput(input), options), presentSupplementary);
  apiAction('oral-answers', 201, (trx, actor, input, options) => publishOralAnswer(trx, actor, asInput(input), options), presentOralAnswer);
}
