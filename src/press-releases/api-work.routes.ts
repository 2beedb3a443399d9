// The press release API for writers with tokens (/api/v1/work/press-releases...): create, update (PATCH changes the
// fields sent; PUT replaces the release), schedule, publish, unpublish. The same commands as the composer.
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import { AppError } from '../errors/app-error.ts';
import { idParam, jsonBody, runCommand } from '../web/commands.ts';
import { citationBlocks } from './citations.ts';
import { canManage, createRelease, isPublic, publishRelease, RELEASE_ROLES, scheduleRelease, unpublishRelease, updateRelease } from './press-release.commands.ts';
import { presentRelease, presentReleaseSummary } from './press-release.presenter.ts';
import { managedReleases, releaseById, type ReleaseSummary } from './press-release.queries.ts';
import { managedBy } from './work.routes.ts';

const writers = { preHandler: requireRole(...RELEASE_ROLES) };

export async function apiWorkPressReleaseRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const publicUrl = () => app.ctx.config.publicUrl;

  /** The work view: the public shape plus the state, the embargo and the id to act on. */
  const workShape = (r: ReleaseSummary) => ({
    id: r.id,
    state: r.state === 'scheduled' && isPublic({ state: r.state, published_at: r.publishedAt }, app.now()) ? 'published' : r.state,
    embargoUntil: r.embargoUntil?.toISOString() ?? null,
    unpublishedAt: r.unpublishedAt?.toISOString() ?? null,
    workUrl: `${publicUrl()}/work/press-releases/${r.id}`,
  });

  const ownRelease = async (actor: Actor, id: number) => {
    const row = await db.selectFrom('press_releases').select(['author_id', 'party_group_id', 'created_by_id']).where('id', '=', id).executeTakeFirst();
    const release = row && canManage(actor, row) ? await releaseById(db, id) : undefined;
    if (!release) throw new AppError('not_found', 'The press release was not found.');
    const blocks = (await citationBlocks(db, [id], app.now())).get(id) ?? [];
    return { ...presentRelease(release, blocks, publicUrl()), ...workShape(release) };
  };

  const idOf = (request: { params: unknown }) => idParam((request.params as { id?: string }).id, 'The press release');

  app.get('/api/v1/work/press-releases', writers, async (request) => {
    const releases = await managedReleases(db, managedBy(actorOf(request)));
    return { items: releases.map((r) => ({ ...presentReleaseSummary(r, publicUrl()), ...workShape(r) })) };
  });

  app.post('/api/v1/work/press-releases', writers, async (request, reply) => {
    const actor = actorOf(request);
    const { releaseId } = await runCommand(app, (trx, options) => createRelease(trx, actor, jsonBody(request), options));
    return reply.status(201).send(await ownRelease(actor, releaseId));
  });

  app.get('/api/v1/work/press-releases/:id', writers, async (request) => ownRelease(actorOf(request), idOf(request)));

  app.patch('/api/v1/work/press-releases/:id', writers, async (request) => {
    const actor = actorOf(request);
    const releaseId = idOf(request);
    await runCommand(app, (trx, options) => updateRelease(trx, actor, releaseId, jsonBody(request), options));
    return ownRelease(actor, releaseId);
  });

  // PUT replaces: whatever is left out goes back to its default (no quotes, no citations, drafted notes).
  app.put('/api/v1/work/press-releases/:id', writers, async (request) => {
    const actor = actorOf(request);
    const releaseId = idOf(request);
    const body = jsonBody(request);
    const replacement = { quotes: [], categories: [], citations: [], notesToEditors: '', ...body };
    await runCommand(app, (trx, options) => updateRelease(trx, actor, releaseId, replacement, options));
    return ownRelease(actor, releaseId);
  });

  app.post('/api/v1/work/press-releases/:id/schedule', writers, async (request) => {
    const actor = actorOf(request);
    const releaseId = idOf(request);
    await runCommand(app, (trx, options) => scheduleRelease(trx, actor, releaseId, jsonBody(request), options));
    return ownRelease(actor, releaseId);
  });

  app.post('/api/v1/work/press-releases/:id/publish', writers, async (request) => {
    const actor = actorOf(request);
    const releaseId = idOf(request);
    await runCommand(app, (trx, options) => publishRelease(trx, actor, releaseId, options));
    return ownRelease(actor, releaseId);
  });

  app.post('/api/v1/work/press-releases/:id/unpublish', writers, async (request) => {
    const actor = actorOf(request);
    const releaseId = idOf(request);
    await runCommand(app, (trx, options) => unpublishRelease(trx, actor, releaseId, jsonBody(request), options));
    return ownRelease(actor, releaseId);
  });
}
