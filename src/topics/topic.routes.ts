// Topic pages and their JSON twins: the questions on each topic and how promptly they were answered.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { pageOf, pageQuery, slugParam } from '../questions/json-pages.ts';
import { renderMissing } from '../questions/question.routes.ts';
import { presentProfile, recordProfile } from '../questions/record-profile.queries.ts';
import { parseQuery } from '../web/validation.ts';
import { findTopicBySlug, topicsWithCounts } from './topic.queries.ts';

export async function topicRoutes(app: FastifyInstance): Promise<void> {
  const publicUrl = () => app.ctx.config.publicUrl;

  app.get('/topics', async (_request, reply) => {
    const topics = await topicsWithCounts(app.ctx.db);
    return reply.render('topics/views/list.njk', { site: await app.site(), section: 'topics', title: 'Topics', topics });
  });

  app.get('/api/v1/topics', async (request) => {
    const { page } = parseQuery(pageQuery, request.query);
    const topics = await topicsWithCounts(app.ctx.db);
    return pageOf(
      topics.map((t) => ({
        slug: t.slug,
        name: t.name,
        description: t.description,
        questions: t.questions,
        url: `${publicUrl()}/topics/${t.slug}`,
        apiUrl: `${publicUrl()}/api/v1/topics/${t.slug}`,
      })),
      page,
      (p) => `${publicUrl()}/api/v1/topics?page=${p}`,
    );
  });

  async function loadTopic(params: unknown) {
    const parsed = slugParam.safeParse(params);
    const topic = parsed.success ? await findTopicBySlug(app.ctx.db, parsed.data.slug) : undefined;
    if (!topic) return null;
    return { topic, profile: await recordProfile(app.ctx.db, { kind: 'topic', topicId: topic.id }, app.today()) };
  }

  app.get('/topics/:slug', async (request, reply) => {
    const loaded = await loadTopic(request.params);
    if (!loaded) return renderMissing(app, reply, 'There is no topic with that name in the record.', String((request.params as { slug?: string }).slug ?? '').slice(0, 100));
    return reply.render('topics/views/topic.njk', {
      site: await app.site(),
      section: 'topics',
      title: loaded.topic.name,
      ...loaded,
      feedUrl: `/feeds/topics/${loaded.topic.slug}.atom`,
    });
  });

  app.get('/api/v1/topics/:slug', async (request) => {
    const loaded = await loadTopic(request.params);
    if (!loaded) throw new AppError('not_found', 'There is no topic with that name in the record.');
    const { topic, profile } = loaded;
    return {
      slug: topic.slug,
      name: topic.name,
      description: topic.description,
      url: `${publicUrl()}/topics/${topic.slug}`,
      ...presentProfile(profile, publicUrl()),
      links: {
        questions: `${publicUrl()}/api/v1/questions?topic=${topic.slug}`,
        search: `${publicUrl()}/search?topic=${topic.slug}`,
        feed: `${publicUrl()}/feeds/topics/${topic.slug}.atom`,
      },
    };
  });
}
