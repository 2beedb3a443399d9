// The member's side of the question lifecycle, in the browser (/work/questions...) and the API (/api/v1/work/...):
// drafting, editing, tabling and withdrawing their own questions, and the answered questions like a draft.
// Members and staff acting for a member only; another member's question is, to them, not there (404).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { latenessRules } from '../questions/question.queries.ts';
import { formId, formIds, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import type { FormErrors } from '../web/forms.ts';
import { parseInput } from './input.ts';
import {
  allTopics,
  meetingsOpenForTabling,
  memberName,
  ownQuestion,
  publishedQuestionIdByReference,
  questionExtras,
  requireOwnQuestion,
} from './member-page.queries.ts';
import { CreateDraftInput, createDraft, EditDraftInput, editDraft, tableQuestion, WithdrawInput, withdrawQuestion } from './member.commands.ts';
import { memberQuestions } from './member.queries.ts';
import {
  meetingItems,
  memberQuestionView,
  presentMemberQuestion,
  presentSimilar,
  summaryRows,
  topicItems,
  typeItems,
  type DraftFormValues,
} from './member.presenter.ts';
import { similarQuestions } from './similar.queries.ts';

const memberSide = { preHandler: requireRole('member', 'staff') };

/** The question form's fields in page order: the error summary lists problems in this order. */
const FORM_FIELDS = ['meetingId', 'questionType', 'title', 'body', 'topicIds', 'followUpReference'] as const;

/** A command's field name as the form names it ('topicIds.2' is the topics checkboxes; the follow-up is typed as a reference). */
function formFieldOf(key: string): string {
  const field = key.split('.')[0] ?? key;
  if (field === 'followUpOfId') return 'followUpReference';
  return (FORM_FIELDS as readonly string[]).includes(field) ? field : 'form';
}

/** A refusal as the GOV.UK error summary shows it, or null for anything that is not the user's to fix. */
function refusalErrors(error: unknown, fieldOf: (key: string) => string = formFieldOf): FormErrors | null {
  if (!isAppError(error) || !['validation_failed', 'conflict', 'forbidden'].includes(error.code)) return null;
  const fields: Record<string, string> = {};
  for (const [key, text] of Object.entries(error.fields ?? {})) fields[fieldOf(key)] ??= text;
  if (Object.keys(fields).length === 0) fields.form = error.message;
  // Form order; a problem with no field of its own ('form', index -1) comes first.
  const order = (key: string) => (FORM_FIELDS as readonly string[]).indexOf(key);
  const entries = Object.entries(fields).sort(([a], [b]) => order(a) - order(b));
  return {
    // A problem with no field of its own is listed without a link.
    list: entries.map(([field, text]) => (field === 'form' ? { text, href: '' } : { text, href: `#${field}` })),
    fields: Object.fromEntries(entries.map(([field, text]) => [field, { text }])),
  };
}

/** The form as typed, kept for showing it again. */
function formValues(body: unknown): DraftFormValues {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => formText(value) ?? '';
  const topics = Array.isArray(form.topicIds) ? form.topicIds : form.topicIds === undefined ? [] : [form.topicIds];
  return {
    meetingId: text(form.meetingId),
    questionType: text(form.questionType),
    title: text(form.title),
    body: text(form.body),
    topicIds: topics.filter((t): t is string => typeof t === 'string'),
    followUpReference: text(form.followUpReference),
  };
}

function formAction(body: unknown): 'save' | 'table' | 'similar' {
  const action: unknown = body && typeof body === 'object' ? (body as Record<string, unknown>).action : undefined;
  return action === 'table' || action === 'similar' ? action : 'save';
}

/** The command input a form describes. Blank fields are left out, for the command to name what is missing. */
function draftFields(values: DraftFormValues) {
  return {
    meetingId: formId(values.meetingId),
    questionType: (values.questionType || undefined) as 'written' | 'oral' | undefined,
    title: values.title,
    body: values.body,
    topicIds: formIds(values.topicIds),
  };
}

/** The query string of the similar-questions API: any text at all, never an error. */
function queryText(value: unknown): string {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .filter((v): v is string => typeof v === 'string')
    .join(' ')
    .slice(0, 10_000);
}

export async function memberWorkRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;

  const page = async (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    reply.status(status).render(template, { site: await app.site(), section: 'work', ...context });

  const viewContext = async () => ({ today: app.today(), rules: await latenessRules(db), now: app.now() });

  const loadView = async (actor: Actor, questionId: number) => {
    const question = await ownQuestion(db, actor, questionId, app.now());
    const { today, rules, now } = await viewContext();
    return { question, view: memberQuestionView(question, today, rules, now) };
  };

  const apiQuestion = async (actor: Actor, questionId: number) => {
    const question = await ownQuestion(db, actor, questionId, app.now());
    return presentMemberQuestion(question, await questionExtras(db, questionId), {
      publicUrl: app.ctx.config.publicUrl,
      today: app.today(),
      rules: await latenessRules(db),
    });
  };

  /** Checks every field of the form at once (the command stops at the first kind of problem). */
  const checkedDraft = async (values: DraftFormValues, withFollowUp: boolean) => {
    const fields: Record<string, string> = {};
    const parsed = CreateDraftInput.safeParse(draftFields(values));
    if (!parsed.success) for (const issue of parsed.error.issues) fields[formFieldOf(issue.path.map(String).join('.'))] ??= issue.message;
    let followUpOfId: number | undefined;
    if (withFollowUp && values.followUpReference.trim() !== '') {
      const found = await publishedQuestionIdByReference(db, values.followUpReference);
      if (found === null) fields.followUpReference = 'Enter the reference of a published question, like 2009/0123';
      else followUpOfId = found;
    }
    if (!parsed.success || Object.keys(fields).length > 0) throw new AppError('validation_failed', 'The question has a problem.', { fields });
    return { ...parsed.data, ...(followUpOfId !== undefined ? { followUpOfId } : {}) };
  };

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { questionId?: number; values: DraftFormValues; followsUp?: { reference: string; title: string } | null },
    extra: { errors?: FormErrors | null; similar?: unknown[] | null; status?: number } = {},
  ) => {
    const actor = actorOf(request);
    const keepMeeting = form.questionId !== undefined ? formId(form.values.meetingId) : undefined;
    const [meetings, topics, member] = await Promise.all([
      meetingsOpenForTabling(db, app.now(), keepMeeting !== undefined && !Number.isNaN(keepMeeting) ? keepMeeting : undefined),
      allTopics(db),
      memberName(db, actor),
    ]);
    const editing = form.questionId !== undefined;
    return page(
      reply,
      'workflow/views/member-form.njk',
      {
        title: editing ? 'Edit your draft question' : 'Draft a new question',
        errorTitle: Boolean(extra.errors),
        errors: extra.errors ?? null,
        action: editing ? `/work/questions/${form.questionId}/edit` : '/work/questions/new',
        backLink: editing ? `/work/questions/${form.questionId}` : '/work/questions',
        editing,
        values: form.values,
        followsUp: form.followsUp ?? null,
        actingFor: actor.role === 'staff' ? member : null,
        meetingItems: meetingItems(meetings, form.values.meetingId),
        noMeetings: meetings.length === 0,
        typeItems: typeItems(form.values.questionType),
        topicItems: topicItems(topics, form.values.topicIds),
        similar: extra.similar ?? null,
      },
      extra.status ?? 200,
    );
  };

  const similarFor = async (values: DraftFormValues) =>
    (await similarQuestions(db, { title: values.title, body: values.body })).map((q) => presentSimilar(q, app.ctx.config.publicUrl));

  const questionPage = async (request: FastifyRequest, reply: FastifyReply, questionId: number, errors: FormErrors | null = null, status = 200) => {
    const { view } = await loadView(actorOf(request), questionId);
    const extras = await questionExtras(db, view.id);
    return page(
      reply,
      'workflow/views/member-question.njk',
      { title: view.title, errorTitle: Boolean(errors), errors, question: view, extras, summaryRows: summaryRows(view, extras) },
      status,
    );
  };

  // ---- Pages ----

  app.get('/work/questions', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const { today, rules, now } = await viewContext();
    const questions = (await memberQuestions(db, actor, { now })).map((q) => memberQuestionView(q, today, rules, now));
    return page(reply, 'workflow/views/member-list.njk', {
      title: 'Your questions',
      questions,
      actingFor: actor.role === 'staff' ? await memberName(db, actor) : null,
    });
  });

  app.get('/work/questions/new', memberSide, async (request, reply) =>
    formPage(request, reply, { values: { meetingId: '', questionType: '', title: '', body: '', topicIds: [], followUpReference: '' } }),
  );

  app.post('/work/questions/new', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const values = formValues(request.body);
    const action = formAction(request.body);
    if (action === 'similar') return formPage(request, reply, { values }, { similar: await similarFor(values) });
    try {
      const input = await checkedDraft(values, true);
      const questionId = await runCommand(app, async (trx, options) => {
        const { questionId } = await createDraft(trx, actor, input, options);
        if (action === 'table') await tableQuestion(trx, actor, { questionId }, options);
        return questionId;
      });
      request.session.set('flash', action === 'table' ? 'Your question was saved and tabled. The clerk will now check it.' : 'Your draft question was saved.');
      return reply.redirect(`/work/questions/${questionId}`, 303);
    } catch (error) {
      const errors = refusalErrors(error);
      if (!errors || !isAppError(error)) throw error;
      return formPage(request, reply, { values }, { errors, status: error.status });
    }
  });

  app.get('/work/questions/:id', memberSide, async (request, reply) => {
    const { id } = request.params as { id?: string };
    return questionPage(request, reply, idParam(id, 'The question'));
  });


  app.get('/work/questions/:id/edit', memberSide, async (request, reply) => {
    const { id } = request.params as { id?: string };
    const { question } = await loadView(actorOf(request), idParam(id, 'The question'));
    if (question.state !== 'draft') throw new AppError('conflict', 'This question is no longer a draft, so it cannot be edited.');
    const extras = await questionExtras(db, question.id);
    return formPage(request, reply, {
      questionId: question.id,
      followsUp: extras.followsUp,
      values: {
        meetingId: String(question.meeting.id),
        questionType: question.type,
        title: question.title,
        body: question.body,
        topicIds: extras.topics.map((t) => String(t.id)),
        followUpReference: '',
      },
    });
  });

  app.post('/work/questions/:id/edit', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    const values = formValues(request.body);
    const action = formAction(request.body);
    const followsUp = (await questionExtras(db, questionId)).followsUp;
    if (action === 'similar') return formPage(request, reply, { questionId, values, followsUp }, { similar: await similarFor(values) });
    try {
      const input = await checkedDraft(values, false);
      const { changed } = await runCommand(app, async (trx, options) => {
        const result = await editDraft(trx, actor, { questionId, ...input }, options);
        if (action === 'table') await tableQuestion(trx, actor, { questionId }, options);
        return result;
      });
      request.session.set(
        'flash',
        action === 'table' ? 'Your question was saved and tabled. The clerk will now check it.' : changed.length > 0 ? 'Your draft question was saved.' : 'Nothing had changed, so nothing was saved.',
      );
      return reply.redirect(`/work/questions/${questionId}`, 303);
    } catch (error) {
      const errors = refusalErrors(error);
      if (!errors || !isAppError(error)) throw error;
      return formPage(request, reply, { questionId, values, followsUp }, { errors, status: error.status });
    }
  });

  app.post('/work/questions/:id/table', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    try {
      await runCommand(app, (trx, options) => tableQuestion(trx, actor, { questionId }, options));
    } catch (error) {
      const errors = refusalErrors(error);
      if (!errors || !isAppError(error)) throw error;
      return questionPage(request, reply, questionId, errors, error.status);
    }
    request.session.set('flash', 'Your question was tabled. The clerk will now check it.');
    return reply.redirect(`/work/questions/${questionId}`, 303);
  });

  const withdrawPage = async (request: FastifyRequest, reply: FastifyReply, questionId: number, extra: { errors?: FormErrors; reason?: string; status?: number } = {}) => {
    const { view } = await loadView(actorOf(request), questionId);
    return page(
      reply,
      'workflow/views/member-withdraw.njk',
      { title: `Withdraw “${view.title}”`, errorTitle: Boolean(extra.errors), errors: extra.errors ?? null, question: view, reason: extra.reason ?? '' },
      extra.status ?? 200,
    );
  };

  app.get('/work/questions/:id/withdraw', memberSide, async (request, reply) => {
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    const { view } = await loadView(actorOf(request), questionId);
    if (!view.actions.withdraw) throw new AppError('conflict', 'This question cannot be withdrawn now: only tabled or accepted questions that have not been answered can be.');
    return withdrawPage(request, reply, questionId);
  });

  app.post('/work/questions/:id/withdraw', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    const reason = formText((request.body as Record<string, unknown> | undefined)?.reason) ?? '';
    try {
      await runCommand(app, (trx, options) => withdrawQuestion(trx, actor, { questionId, ...(reason.trim() !== '' ? { reason } : {}) }, options));
    } catch (error) {
      const errors = refusalErrors(error, (key) => (key === 'reason' ? 'reason' : 'form'));
      if (!errors || !isAppError(error)) throw error;
      return withdrawPage(request, reply, questionId, { errors, reason, status: error.status });
    }
    request.session.set('flash', 'Your question was withdrawn.');
    return reply.redirect(`/work/questions/${questionId}`, 303);
  });

  // ---- API ----

  app.get('/api/v1/work/questions', memberSide, async (request) => {
    const actor = actorOf(request);
    const context = { publicUrl: app.ctx.config.publicUrl, today: app.today(), rules: await latenessRules(db) };
    return { items: (await memberQuestions(db, actor, { now: app.now() })).map((q) => presentMemberQuestion(q, null, context)) };
  });

  app.post('/api/v1/work/questions', memberSide, async (request, reply) => {
    const actor = actorOf(request);
    const { table, ...body } = jsonBody(request);
    if (table !== undefined && typeof table !== 'boolean') {
      throw new AppError('validation_failed', 'The question has a problem: send table as true or false.', { fields: { table: 'Send true or false' } });
    }
    const input = parseInput(CreateDraftInput, body, 'The question');
    const questionId = await runCommand(app, async (trx, options) => {
      const { questionId } = await createDraft(trx, actor, input, options);
      if (table === true) await tableQuestion(trx, actor, { questionId }, options);
      return questionId;
    });
    return reply.status(201).send(await apiQuestion(actor, questionId));
  });

  app.get('/api/v1/work/questions/:id', memberSide, async (request) => {
    const { id } = request.params as { id?: string };
    return apiQuestion(actorOf(request), idParam(id, 'The question'));
  });

  app.post('/api/v1/work/questions/:id/edit', memberSide, async (request) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    const input = parseInput(EditDraftInput, { ...jsonBody(request), questionId }, 'The question');
    await runCommand(app, (trx, options) => editDraft(trx, actor, input, options));
    return apiQuestion(actor, questionId);
  });

  app.post('/api/v1/work/questions/:id/table', memberSide, async (request) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    await runCommand(app, (trx, options) => tableQuestion(trx, actor, { questionId }, options));
    return apiQuestion(actor, questionId);
  });

  app.post('/api/v1/work/questions/:id/withdraw', memberSide, async (request) => {
    const actor = actorOf(request);
    const { id } = request.params as { id?: string };
    const questionId = idParam(id, 'The question');
    await requireOwnQuestion(db, actor, questionId);
    const input = parseInput(WithdrawInput, { ...jsonBody(request), questionId }, 'The withdrawal');
    await runCommand(app, (trx, options) => withdrawQuestion(trx, actor, input, options));
    return apiQuestion(actor, questionId);
  });

  app.get('/api/v1/work/similar', memberSide, async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const found = await similarQuestions(db, { title: queryText(query.title), body: queryText(query.body) });
    return { items: found.map((q) => presentSimilar(q, app.ctx.config.publicUrl)) };
  });
}
