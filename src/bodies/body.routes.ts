// Answering body pages and their JSON twins: the questions each body has answered and how promptly.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { pageOf, pageQuery, slugParam } from '../questions/json-pages.ts';
import { renderMissing } from '../questions/question.routes.ts';
import { presentProfile, recordProfile } from '../questions/record-profile.queries.ts';
import { parseQuery } from '../web/validation.ts';
import { answeringBodies, findBodyBySlug } from './body.queries.ts';

export async function answeringBodyRoutes(app: FastifyInstance): Promise<void> {
  const publicUrl = () => app.ctx.config.publicUrl;

  app.get('/bodies', async (_request, reply) => {
    const bodies = await answeringBodies(app.ctx.db);
    return reply.render('bodies/views/list.njk', { site: await app.site(), section: 'bodies', title: 'Answering bodies', bodies });
  });

  app.get('/api/v1/bodies', async (request) => {
    const { page } = parseQuery(pageQuery, request.query);
    const bodies = await answeringBodies(app.ctx.db);
    return pageOf(
      bodies.map((b) => ({
        slug: b.slug,
        name: b.name,
        shortName: b.short_name,
        abbreviation: b.abbreviation,
        url: `${publicUrl()}/bodies/${b.slug}`,
        apiUrl: `${publicUrl()}/api/v1/bodies/${b.slug}`,
      })),
      page,
      (p) => `${publicUrl()}/api/v1/bodies?page=${p}`,
    );
  });

  async function loadBody(params: unknown) {
    const parsed = slugParam.safeParse(params);
    const body = parsed.success ? await findBodyBySlug(app.ctx.db, parsed.data.slug) : undefined;
    if (!body) return null;
    return { body, profile: await recordProfile(app.ctx.db, { kind: 'body', organisationId: body.id }, app.today()) };
  }

  app.get('/bodies/:slug', async (request, reply) => {
    const loaded = await loadBody(request.params);
    if (!loaded) return renderMissing(app, reply, 'There is no answering body with that name in the record.', String((request.params as { slug?: string }).slug ?? '').slice(0, 100));
    return reply.render('bodies/views/body.njk', {
      site: await app.site(),
      section: 'bodies',
      title: loaded.body.name,
      ...loaded,
      feedUrl: `/feeds/bodies/${loaded.body.slug}.atom`,
    });
  });

  app.get('/api/v1/bodies/:slug', async (request) => {
    const loaded = await loadBody(request.params);
    if (!loaded) throw new AppError('not_found', 'There is no answering body with that name in the record.');
    const { body, profile } = loaded;
    return {
      slug: body.slug,
      name: body.name,
      shortName: body.short_name,
      abbreviation: body.abbreviation,
      url: `${publicUrl()}/bodies/${body.slug}`,
      ...presentProfile(profile, publicUrl()),
      links: {
        questions: `${publicUrl()}/api/v1/questions?body=${body.slug}`,
        search: `${publicUrl()}/search?body=${body.slug}`,
        feed: `${publicUrl()}/feeds/bodies/${body.slug}.atom`,
      },
    };
  });
}
