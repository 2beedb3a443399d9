// The executive's side of the question lifecycle, in the browser (/work/answers...) and the API (/api/v1/work/...):
// the Mayor's office allocates, transfers, approves, returns and publishes; officers draft for their body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import type { DraftState } from '../db/schema.ts';
import { lateness } from '../questions/deadline.ts';
import { latenessRules } from '../questions/question.queries.ts';
import { formId, formObject, formText, idParam, jsonBody, runCommand } from '../web/commands.ts';
import type { FormErrors } from '../web/forms.ts';
import { abandonDraft, approveDraft, editAnswerDraft, returnDraft, submitDraft, writeAnswerDraft } from './answer-draft.commands.ts';
import { allocateQuestion, transferQuestion } from './executive.commands.ts';
import { actionsFor, presentDraftOf, presentQueueRow, presentSubmittedDraft, presentUnallocated, presentWorkflow } from './executive.presenter.ts';
import { officerQueue, submittedDrafts, unallocatedQuestions, type SubmittedDraft, type UnallocatedQuestion } from './executive.queries.ts';
import { answerers, answeringBodies, officers, openQuestions, questionIdOfDraft, withProgress, type QueueRow } from './executive-work.queries.ts';
import { OPEN_DRAFT_STATES } from './lifecycle.ts';
import { publishDraft } from './publish.commands.ts';
import { questionWorkflow, type QuestionWorkflow } from './question-workflow.queries.ts';
import type { WorkflowOptions } from './workflow.repository.ts';

/** What each role's work list holds: the Mayor's office all three lists, an officer their body's queue, an admin the open questions. */
interface Queues {
  toAllocate?: UnallocatedQuestion[];
  awaitingApproval?: SubmittedDraft[];
  open?: QueueRow[];
  queue?: QueueRow[];
}

type IdParams = { Params: { id: string } };
/** A command's input. API values are passed on as sent (hence the casts): the command's zod schema refuses wrong types. */
type In<F extends (...args: never[]) => unknown> = Parameters<F>[2];
type Command<T> = (trx: Db, actor: Actor, options: WorkflowOptions) => Promise<T>;

/** The fields of each form on the work pages; a refusal naming another field points at the form as a whole. */
const FORM_FIELDS = {
  allocate: ['answeringBodyId', 'officerId'],
  transfer: ['answeringBodyId', 'officerId', 'reason'],
  draft: ['kind', 'body', 'correctsVersionId', 'correctionNote'],
  edit: ['body', 'correctionNote'],
  submit: [],
  return: ['comment'],
  approve: ['comment'],
  publish: ['answeredById'],
  abandon: ['reason'],
} as const satisfies Record<string, readonly string[]>;
type FormName = keyof typeof FORM_FIELDS;

/** Refusals a form shows on its page; anything else (not found, a bug) goes to the error handler. */
function isRefusal(error: unknown): error is AppError {
  return isAppError(error) && (error.code === 'validation_failed' || error.code === 'conflict' || error.code === 'forbidden');
}

/** The error summary for one form of a page that has several: field ids are prefixed with the form's name. */
function refusalErrors(form: FormName, error: AppError): FormErrors & { form: FormName } {
  const known: readonly string[] = FORM_FIELDS[form];
  const fields = error.fields && Object.keys(error.fields).length > 0 ? error.fields : { form: error.message };
  const entries = Object.entries(fields);
  return {
    form,
    list: entries.map(([field, text]) => ({ text, href: known.includes(field) ? `#${form}-${field}` : `#${form}-form` })),
    fields: Object.fromEntries(entries.filter(([field]) => known.includes(field)).map(([field, text]) => [field, { text }])),
  };
}

/** Optional free text from a form: an empty box means "none". */
const optionalText = (value: unknown): string | undefined => {
  const text = formText(value);
  return text === undefined || text.trim() === '' ? undefined : text;
};

const DRAFT_STATE_WORDS: Record<DraftState, string> = {
  drafting: 'still being drafted',
  submitted: 'waiting for approval',
  returned: 'returned to its author',
  approved: 'approved',
  published: 'published',
  abandoned: 'abandoned',
};

const FLASH = {
  allocate: 'The question was allocated.',
  transfer: 'The question was transferred.',
  draft: 'The draft answer was saved. Submit it for approval when it is ready.',
  submit: 'The draft answer was submitted for approval.',
  return: 'The draft answer was returned to its author with your comment.',
  approve: 'The draft answer was approved and can now be published.',
  abandon: 'The draft answer was abandoned.',
} as const;

export async function executiveWorkRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const executive = { preHandler: requireRole('approver', 'officer', 'admin') };
  // Admins may read the executive's work; only the Mayor's office and officers change it.
  const writers = { preHandler: requireRole('approver', 'officer') };
  const questionPath = (id: number) => `/work/answers/questions/${id}`;
  const form = (request: FastifyRequest): Record<string, unknown> => formObject.safeParse(request.body).data ?? {};

  const run = <T>(request: FastifyRequest, command: Command<T>) => {
    const actor = actorOf(request);
    return runCommand(app, (trx, options) => command(trx, actor, options));
  };

  // ---- Queues -------------------------------------------------------------------------------------------------

  async function queues(actor: Actor): Promise<Queues> {
    const now = app.now();
    const today = app.today();
    if (actor.role === 'officer') return { queue: await withProgress(db, await officerQueue(db, actor, { now }), today) };
    const open = await openQuestions(db, actor, { now });
    if (actor.role !== 'approver') return { open };
    return { toAllocate: await unallocatedQuestions(db, actor), awaitingApproval: await submittedDrafts(db, actor), open };
  }

  app.get('/work/answers', executive, async (request, reply) => {
    const actor = actorOf(request);
    return reply.render('workflow/views/answers-index.njk', {
      site: await app.site(),
      section: 'work',
      title: actor.role === 'officer' ? 'Questions to answer' : 'Answers',
      role: actor.role,
      ...(await queues(actor)),
    });
  });

  app.get('/api/v1/work/answers/queue', executive, async (request) => {
    const lists = await queues(actorOf(request));
    return {
      ...(lists.toAllocate ? { toAllocate: lists.toAllocate.map(presentUnallocated) } : {}),
      ...(lists.awaitingApproval ? { awaitingApproval: lists.awaitingApproval.map(presentSubmittedDraft) } : {}),
      ...(lists.open ? { open: lists.open.map(presentQueueRow) } : {}),
      ...(lists.queue ? { queue: lists.queue.map(presentQueueRow) } : {}),
    };
  });

  // ---- One question's workflow page -----------------------------------------------------------------------------

  async function questionLateness(w: QuestionWorkflow) {
    const answered = w.versions.some((v) => v.kind !== 'holding');
    if (w.question.dueOn === null || answered || w.question.state !== 'accepted') return null;
    const rules = await latenessRules(db);
    return lateness({ dueOn: w.question.dueOn, answeredOn: null, today: app.today(), ...rules });
  }

  async function questionPage(request: FastifyRequest, reply: FastifyReply, questionId: number, extra: Record<string, unknown> = {}, status = 200) {
    const actor = actorOf(request);
    const w = await questionWorkflow(db, actor, questionId);
    const actions = actionsFor(actor, w);
    const today = app.today();
    const correctable = w.versions.filter((v) => v.kind !== 'holding').reverse();
    return reply.status(status).render('workflow/views/answers-question.njk', {
      site: await app.site(),
      section: 'work',
      title: `${w.question.reference ?? 'Question'}: ${w.question.title}`,
      errorTitle: 'errors' in extra,
      w,
      actions,
      late: await questionLateness(w),
      currentAllocation: w.allocations.find((a) => a.endedAt === null) ?? null,
      openDrafts: w.drafts.filter((d) => (OPEN_DRAFT_STATES as readonly DraftState[]).includes(d.state)),
      pastDrafts: w.drafts.filter((d) => d.state === 'published' || d.state === 'abandoned').reverse(),
      correctable,
      bodies: actions.allocate || actions.transfer ? await answeringBodies(db, today) : [],
      officers: actions.allocate || actions.transfer ? await officers(db) : [],
      answerers: Object.values(actions.drafts).some((d) => d.publish) ? await answerers(db, today) : { mayor: null, others: [] },
      values: {},
      ...extra,
    });
  }

  app.get<IdParams>('/work/answers/questions/:id', executive, async (request, reply) =>
    questionPage(request, reply, idParam(request.params.id, 'The question')),
  );

  /** Runs a form's command; on success back to the question page with a message, on refusal the page with the errors. */
  async function formAction<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    questionId: number,
    formName: FormName,
    command: Command<T>,
    flash: (result: T) => string,
  ) {
    let result: T;
    try {
      result = await run(request, command);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return questionPage(request, reply, questionId, { errors: refusalErrors(formName, error), values: form(request) }, error.status);
    }
    request.session.set('flash', flash(result));
    return reply.redirect(questionPath(questionId), 303);
  }

  app.post<IdParams>('/work/answers/questions/:id/allocate', writers, async (request, reply) => {
    const questionId = idParam(request.params.id, 'The question');
    const f = form(request);
    const input = { questionId, answeringBodyId: formId(f.answeringBodyId), officerId: formId(f.officerId) } as In<typeof allocateQuestion>;
    return formAction(request, reply, questionId, 'allocate', (trx, actor, options) => allocateQuestion(trx, actor, input, options), () => FLASH.allocate);
  });

  app.post<IdParams>('/work/answers/questions/:id/transfer', writers, async (request, reply) => {
    const questionId = idParam(request.params.id, 'The question');
    const f = form(request);
    const input = { questionId, answeringBodyId: formId(f.answeringBodyId), officerId: formId(f.officerId), reason: formText(f.reason) } as In<typeof transferQuestion>;
    return formAction(request, reply, questionId, 'transfer', (trx, actor, options) => transferQuestion(trx, actor, input, options), () => FLASH.transfer);
  });

  app.post<IdParams>('/work/answers/questions/:id/drafts', writers, async (request, reply) => {
    const questionId = idParam(request.params.id, 'The question');
    const f = form(request);
    const kind = formText(f.kind);
    // The correction fields sit in the form whatever kind is chosen; they count only for a correction.
    const correction = kind === 'correction';
    const input = {
      questionId,
      kind,
      body: formText(f.body),
      correctsVersionId: correction ? formId(f.correctsVersionId) : undefined,
      correctionNote: correction ? formText(f.correctionNote) : undefined,
    } as In<typeof writeAnswerDraft>;
    return formAction(request, reply, questionId, 'draft', (trx, actor, options) => writeAnswerDraft(trx, actor, input, options), () => FLASH.draft);
  });

  // ---- Actions on a draft -----------------------------------------------------------------------------------------

  const draftAction = <T>(
    path: string,
    formName: FormName,
    command: (trx: Db, actor: Actor, draftId: number, f: Record<string, unknown>, options: WorkflowOptions) => Promise<T>,
    flash: (result: T) => string,
  ) =>
    app.post<IdParams>(`/work/answers/drafts/:id/${path}`, writers, async (request, reply) => {
      const draftId = idParam(request.params.id, 'The draft answer');
      const questionId = await questionIdOfDraft(db, draftId);
      const f = form(request);
      return formAction(request, reply, questionId, formName, (trx, actor, options) => command(trx, actor, draftId, f, options), flash);
    });

  draftAction('submit', 'submit', (trx, actor, draftId, _f, options) => submitDraft(trx, actor, { draftId }, options), () => FLASH.submit);
  draftAction('return', 'return', (trx, actor, draftId, f, options) => returnDraft(trx, actor, { draftId, comment: formText(f.comment) } as In<typeof returnDraft>, options), () => FLASH.return);
  draftAction(
    'approve',
    'approve',
    (trx, actor, draftId, f, options) => approveDraft(trx, actor, { draftId, comment: optionalText(f.comment) }, options),
    () => FLASH.approve,
  );
  draftAction(
    'publish',
    'publish',
    (trx, actor, draftId, f, options) => publishDraft(trx, actor, { draftId, answeredById: formId(f.answeredById) }, options),
    (published) => `The answer was published as version ${published.version}. The asking member has been sent it.`,
  );
  draftAction(
    'abandon',
    'abandon',
    (trx, actor, draftId, f, options) => abandonDraft(trx, actor, { draftId, reason: optionalText(f.reason) }, options),
    () => FLASH.abandon,
  );

  // ---- Editing a draft (its own page) -------------------------------------------------------------------------------

  async function editPage(request: FastifyRequest, reply: FastifyReply, draftId: number, extra: Record<string, unknown> = {}, status = 200) {
    const actor = actorOf(request);
    const w = await questionWorkflow(db, actor, await questionIdOfDraft(db, draftId));
    const draft = w.drafts.find((d) => d.id === draftId);
    if (!draft) throw new Error(`draft ${draftId} missing from its question's workflow`);
    if (status === 200 && !actionsFor(actor, w).drafts[draftId]?.edit) {
      // Reached by a link that no longer applies (the draft moved on) or typed in: say why rather than show a dead form.
      if (actor.role !== 'approver' && actor.role !== 'officer') throw new AppError('forbidden', "Only officers of the answering body and the Mayor's office can edit draft answers.");
      throw new AppError('conflict', `This draft answer is ${DRAFT_STATE_WORDS[draft.state]}, so it cannot be edited.`);
    }
    return reply.status(status).render('workflow/views/answers-draft-edit.njk', {
      site: await app.site(),
      section: 'work',
      title: `Edit the draft answer to ${w.question.reference ?? 'the question'}`,
      errorTitle: 'errors' in extra,
      w,
      draft,
      values: { body: draft.body, correctionNote: draft.correctionNote ?? '' },
      ...extra,
    });
  }

  app.get<IdParams>('/work/answers/drafts/:id/edit', writers, async (request, reply) => editPage(request, reply, idParam(request.params.id, 'The draft answer')));

  app.post<IdParams>('/work/answers/drafts/:id/edit', writers, async (request, reply) => {
    const draftId = idParam(request.params.id, 'The draft answer');
    const questionId = await questionIdOfDraft(db, draftId);
    const f = form(request);
    const input = { draftId, body: formText(f.body), correctionNote: formText(f.correctionNote) };
    let changed: string[];
    try {
      ({ changed } = await run(request, (trx, actor, options) => editAnswerDraft(trx, actor, input, options)));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return editPage(request, reply, draftId, { errors: refusalErrors('edit', error), values: f }, error.status);
    }
    request.session.set('flash', changed.length > 0 ? 'The draft answer was updated.' : 'Nothing was changed in the draft answer.');
    return reply.redirect(questionPath(questionId), 303);
  });

  // ---- API -----------------------------------------------------------------------------------------------------------

  const workflowOf = (request: FastifyRequest, questionId: number) => questionWorkflow(db, actorOf(request), questionId);

  app.get<IdParams>('/api/v1/work/questions/:id/workflow', executive, async (request) =>
    presentWorkflow(await workflowOf(request, idParam(request.params.id, 'The question'))),
  );

  app.post<IdParams>('/api/v1/work/questions/:id/allocate', writers, async (request) => {
    const questionId = idParam(request.params.id, 'The question');
    const body = jsonBody(request);
    const input = { questionId, answeringBodyId: body.answeringBodyId, officerId: body.officerId };
    await run(request, (trx, actor, options) => allocateQuestion(trx, actor, input as In<typeof allocateQuestion>, options));
    return presentWorkflow(await workflowOf(request, questionId));
  });

  app.post<IdParams>('/api/v1/work/questions/:id/transfer', writers, async (request) => {
    const questionId = idParam(request.params.id, 'The question');
    const body = jsonBody(request);
    const input = { questionId, answeringBodyId: body.answeringBodyId, officerId: body.officerId, reason: body.reason };
    await run(request, (trx, actor, options) => transferQuestion(trx, actor, input as In<typeof transferQuestion>, options));
    return presentWorkflow(await workflowOf(request, questionId));
  });

  app.post<IdParams>('/api/v1/work/questions/:id/drafts', writers, async (request, reply) => {
    const questionId = idParam(request.params.id, 'The question');
    const body = jsonBody(request);
    const input = { questionId, kind: body.kind, body: body.body, correctsVersionId: body.correctsVersionId, correctionNote: body.correctionNote };
    const { draftId } = await run(request, (trx, actor, options) => writeAnswerDraft(trx, actor, input as In<typeof writeAnswerDraft>, options));
    return reply.status(201).send(presentDraftOf(await workflowOf(request, questionId), draftId));
  });

  /** A draft action through the API: the command validates the JSON it is given; the reply is the draft afterwards. */
  const apiDraftAction = (path: string, command: (trx: Db, actor: Actor, draftId: number, body: Record<string, unknown>, options: WorkflowOptions) => Promise<unknown>) =>
    app.post<IdParams>(`/api/v1/work/drafts/:id/${path}`, writers, async (request) => {
      const draftId = idParam(request.params.id, 'The draft answer');
      const questionId = await questionIdOfDraft(db, draftId);
      const body = jsonBody(request);
      await run(request, (trx, actor, options) => command(trx, actor, draftId, body, options));
      return presentDraftOf(await workflowOf(request, questionId), draftId);
    });

  apiDraftAction('edit', (trx, actor, draftId, b, options) =>
    editAnswerDraft(trx, actor, { draftId, body: b.body, correctionNote: b.correctionNote } as In<typeof editAnswerDraft>, options),
  );
  apiDraftAction('submit', (trx, actor, draftId, _b, options) => submitDraft(trx, actor, { draftId }, options));
  apiDraftAction('return', (trx, actor, draftId, b, options) => returnDraft(trx, actor, { draftId, comment: b.comment } as In<typeof returnDraft>, options));
  apiDraftAction('approve', (trx, actor, draftId, b, options) => approveDraft(trx, actor, { draftId, comment: b.comment } as In<typeof approveDraft>, options));
  apiDraftAction('publish', (trx, actor, draftId, b, options) =>
    publishDraft(trx, actor, { draftId, answeredById: b.answeredById } as In<typeof publishDraft>, options),
  );
  apiDraftAction('abandon', (trx, actor, draftId, b, options) => abandonDraft(trx, actor, { draftId, reason: b.reason } as In<typeof abandonDraft>, options));
}
