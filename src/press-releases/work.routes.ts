// The composer and its work pages (/work/press-releases...): members, their staff and party press officers write
// releases, cite the record, schedule them under embargo, publish and unpublish. Someone else's release is, to them, not there.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { memberPersonId, type Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { londonDate } from '../calendar/london-time.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { formText, idParam, runCommand } from '../web/commands.ts';
import type { FormErrors } from '../web/forms.ts';
import { parseInput } from '../workflow/input.ts';
import { citationBlocks, resolveCitation, searchCitable } from './citations.ts';
import { composerAction, composerErrors, composerInput, composerValues, emptyComposer, QUOTE_SLOTS, type ComposerValues } from './composer-form.ts';
import { draftNotesToEditors } from './notes-to-editors.ts';
import { canManage, citationFacts, createRelease, currentParts, isPublic, publishRelease, RELEASE_ROLES, scheduleRelease, unpublishRelease, updateRelease } from './press-release.commands.ts';
import { citationLines, ReleaseInput } from './press-release.input.ts';
import { releaseView } from './press-release.presenter.ts';
import { allCategories, managedReleases, membersForComposer, releaseById, type ReleaseSummary } from './press-release.queries.ts';

/** Public now, for a release as the queries return it. */
const isLive = (r: Pick<ReleaseSummary, 'state' | 'publishedAt'>, now: Date) => isPublic({ state: r.state, published_at: r.publishedAt }, now);

const writers = { preHandler: requireRole(...RELEASE_ROLES) };

export const STATE_LABELS = { draft: 'Draft', scheduled: 'Scheduled', published: 'Published', unpublished: 'Unpublished' } as const;

/** The releases an actor manages, as canManage() defines it. */
export function managedBy(actor: Actor) {
  if (actor.role === 'press_officer') return actor.organisationId !== null ? { groupId: actor.organisationId } : { createdById: actor.userId };
  return { authorId: memberPersonId(actor) };
}

export async function workPressReleaseRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const page = async (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    reply.status(status).render(template, { site: await app.site(), section: 'work', ...context });

  /** A release the actor manages, or 404. */
  const ownRelease = async (actor: Actor, id: number) => {
    const release = await releaseById(db, id);
    if (!release) throw new AppError('not_found', 'The press release was not found.');
    const row = await db.selectFrom('press_releases').select(['author_id', 'party_group_id', 'created_by_id']).where('id', '=', id).executeTakeFirstOrThrow();
    if (!canManage(actor, row)) throw new AppError('not_found', 'The press release was not found.');
    return release;
  };

  const composer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { releaseId?: number; values: ComposerValues },
    extra: { errors?: FormErrors | null; results?: Awaited<ReturnType<typeof searchCitable>> | null; status?: number } = {},
  ) => {
    const actor = actorOf(request);
    const today = app.today();
    const [members, categories] = await Promise.all([membersForComposer(db, today), allCategories(db)]);
    const authors = actor.role === 'press_officer' ? members.filter((m) => actor.organisationId === null || m.group_id === actor.organisationId) : [];
    const ownName = actor.role === 'press_officer' ? null : (members.find((m) => m.id === memberPersonId(actor))?.name ?? null);
    const memberItems = (selected: string) => [{ value: '', text: 'Choose a member', selected: selected === '' }, ...members.map((m) => ({ value: m.slug, text: m.name, selected: m.slug === selected }))];
    const editing = form.releaseId !== undefined;
    const checked = new Set(form.values.categories);
    return page(
      reply,
      'press-releases/views/composer.njk',
      {
        title: editing ? 'Edit the press release' : 'Write a press release',
        errorTitle: Boolean(extra.errors),
        errors: extra.errors ?? null,
        action: editing ? `/work/press-releases/${form.releaseId}/edit` : '/work/press-releases/new',
        backLink: editing ? `/work/press-releases/${form.releaseId}` : '/work/press-releases',
        values: form.values,
        ownName,
        authorItems: actor.role === 'press_officer' ? [{ value: '', text: 'Choose a member', selected: form.values.author === '' }, ...authors.map((m) => ({ value: m.slug, text: m.name, selected: m.slug === form.values.author }))] : null,
        quoteSlots: form.values.quotes.slice(0, QUOTE_SLOTS).map((q, i) => ({ n: i + 1, text: q.text, personItems: memberItems(q.person) })),
        categoryItems: categories.map((c) => ({ value: c.name, text: c.name, checked: checked.has(c.name) })),
        results: extra.results ?? null,
      },
      extra.status ?? 200,
    );
  };

  /** The notes drafted from the form's citations, without saving anything. */
  const draftedNotes = async (values: ComposerValues, withAuthor: boolean) => {
    const { input } = composerInput(values, withAuthor);
    const citations = parseInput(ReleaseInput.pick({ citations: true }), { citations: input.citations }, 'The press release').citations;
    const fields: Record<string, string> = {};
    const resolved = [];
    for (const [index, c] of citations.entries()) {
      try {
        resolved.push(await resolveCitation(db, c, `citations.${index}`, app.now()));
      } catch (error) {
        if (!isAppError(error) || !error.fields) throw error;
        Object.assign(fields, error.fields);
      }
    }
    if (Object.keys(fields).length > 0) throw new AppError('validation_failed', 'A citation has a problem.', { fields });
    return draftNotesToEditors(await citationFacts(db, resolved), app.today());
  };

  const handleComposer = async (request: FastifyRequest, reply: FastifyReply, releaseId?: number) => {
    const actor = actorOf(request);
    const values = composerValues(request.body);
    const { action, add } = composerAction(request.body);
    const withAuthor = actor.role === 'press_officer';
    const form = { ...(releaseId !== undefined ? { releaseId } : {}), values };
    if (action === 'search') return composer(request, reply, form, { results: await searchCitable(db, values.citationSearch, app.now()) });
    if (action === 'add' && add) {
      const lines = values.citations.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (!lines.includes(add.trim())) lines.push(add.trim().slice(0, 40));
      return composer(request, reply, { ...form, values: { ...values, citations: lines.join('\n') } });
    }
    const { input, slots } = composerInput(values, withAuthor);
    try {
      if (action === 'draft-notes') return composer(request, reply, { ...form, values: { ...values, notesToEditors: await draftedNotes(values, withAuthor) } });
      const id = await runCommand(app, async (trx, options) => {
        if (releaseId === undefined) return (await createRelease(trx, actor, input, options)).releaseId;
        await updateRelease(trx, actor, releaseId, input, options);
        return releaseId;
      });
      request.session.set('flash', releaseId === undefined ? 'Your press release was saved as a draft.' : 'Your changes were saved.');
      return reply.redirect(`/work/press-releases/${id}`, 303);
    } catch (error) {
      const errors = composerErrors(error, slots);
      if (!errors || !isAppError(error)) throw error;
      return composer(request, reply, form, { errors, status: error.status });
    }
  };

  const releasePage = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: { errors?: FormErrors | null; status?: number; embargo?: { date: string; time: string } } = {}) => {
    const release = await ownRelease(actorOf(request), id);
    const now = app.now();
    const blocks = (await citationBlocks(db, [id], now)).get(id) ?? [];
    const live = isLive(release, now);
    return page(
      reply,
      'press-releases/views/work-release.njk',
      {
        title: release.headline,
        errorTitle: Boolean(extra.errors),
        errors: extra.errors ?? null,
        release: releaseView(release, blocks),
        stateLabel: release.state === 'scheduled' && live ? 'Published' : STATE_LABELS[release.state],
        live,
        editable: release.state === 'draft' || (release.state === 'scheduled' && !live),
        canUnpublish: release.state === 'published' || release.state === 'scheduled',
        embargo: extra.embargo ?? { date: '', time: '' },
        today: londonDate(now),
      },
      extra.status ?? 200,
    );
  };

  app.get('/work/press-releases', writers, async (request, reply) => {
    const actor = actorOf(request);
    const now = app.now();
    const releases = (await managedReleases(db, managedBy(actor))).map((r) => ({ ...r, stateLabel: r.state === 'scheduled' && isLive(r, now) ? 'Published' : STATE_LABELS[r.state] }));
    return page(reply, 'press-releases/views/work-list.njk', { title: 'Your press releases', releases });
  });

  app.get('/work/press-releases/new', writers, async (request, reply) => composer(request, reply, { values: emptyComposer() }));
  app.post('/work/press-releases/new', writers, async (request, reply) => handleComposer(request, reply));

  app.get('/work/press-releases/:id', writers, async (request, reply) => {
    const { id } = request.params as { id?: string };
    return releasePage(request, reply, idParam(id, 'The press release'));
  });

  app.get('/work/press-releases/:id/edit', writers, async (request, reply) => {
    const { id } = request.params as { id?: string };
    const releaseId = idParam(id, 'The press release');
    const release = await ownRelease(actorOf(request), releaseId);
    if (release.state === 'unpublished' || isLive(release, app.now())) throw new AppError('conflict', 'This release has been published, so it can no longer be edited.');
    const parts = await currentParts(db, releaseId);
    const values = emptyComposer();
    values.headline = release.headline;
    values.body = release.bodyMarkdown;
    values.author = release.author.slug;
    parts.quotes.slice(0, QUOTE_SLOTS).forEach((q, i) => (values.quotes[i] = { person: q.person, text: q.text }));
    values.categories = parts.categories;
    values.citations = citationLines(parts.citations.map((c) => ({ reference: c.reference, version: c.pinned ? c.version : undefined })));
    values.notesToEditors = release.notesToEditors;
    return composer(request, reply, { releaseId, values });
  });

  app.post('/work/press-releases/:id/edit', writers, async (request, reply) => {
    const { id } = request.params as { id?: string };
    const releaseId = idParam(id, 'The press release');
    await ownRelease(actorOf(request), releaseId);
    return handleComposer(request, reply, releaseId);
  });

  const transition = (path: string, run: (actor: Actor, releaseId: number, body: Record<string, unknown>) => Promise<string>) =>
    app.post(`/work/press-releases/:id/${path}`, writers, async (request, reply) => {
      const actor = actorOf(request);
      const { id } = request.params as { id?: string };
      const releaseId = idParam(id, 'The press release');
      await ownRelease(actor, releaseId);
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      try {
        request.session.set('flash', await run(actor, releaseId, body));
      } catch (error) {
        const errors = composerErrors(error, [], ['embargoDate', 'embargoTime', 'reason']);
        if (!errors || !isAppError(error)) throw error;
        return releasePage(request, reply, releaseId, { errors, status: error.status, embargo: { date: formText(body.embargoDate) ?? '', time: formText(body.embargoTime) ?? '' } });
      }
      return reply.redirect(`/work/press-releases/${releaseId}`, 303);
    });

  transition('schedule', async (actor, releaseId, body) => {
    const input = { embargoDate: formText(body.embargoDate) ?? '', embargoTime: formText(body.embargoTime) ?? '' };
    await runCommand(app, (trx, options) => scheduleRelease(trx, actor, releaseId, input, options));
    return 'The release is scheduled. It will be published when the embargo ends.';
  });
  transition('publish', async (actor, releaseId) => {
    await runCommand(app, (trx, options) => publishRelease(trx, actor, releaseId, options));
    return 'The release is published.';
  });
  transition('unpublish', async (actor, releaseId, body) => {
    const reason = formText(body.reason) ?? '';
    const { state } = await runCommand(app, (trx, options) => unpublishRelease(trx, actor, releaseId, reason.trim() ? { reason } : {}, options));
    return state === 'draft' ? 'The release was taken off the schedule and is a draft again.' : 'The release was unpublished. Its address now says it was withdrawn.';
  });
}
