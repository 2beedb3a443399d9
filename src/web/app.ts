// Builds the Fastify application: plugins, views, the one error handler, and each domain folder's routes.
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { londonDate } from '../calendar/london-time.ts';
import type { Config } from '../config/config.ts';
import { projectPath } from '../config/paths.ts';
import type { DatabaseMode, Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { homeFor } from '../auth/actor.ts';
import { registerAuth } from '../auth/auth.plugin.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { adminRoutes } from '../admin/admin.routes.ts';
import { clerkWorkRoutes } from '../workflow/clerk.routes.ts';
import { executiveWorkRoutes } from '../workflow/executive.routes.ts';
import { memberWorkRoutes } from '../workflow/member.routes.ts';
import { healthRoutes } from '../health/health.routes.ts';
import { homeRoutes } from '../home/home.routes.ts';
import { meetingCalendarRoutes } from '../meetings/calendar.routes.ts';
import { meetingRoutes } from '../meetings/meeting.routes.ts';
import { orderPaperRoutes } from '../meetings/order-paper.routes.ts';
import { meetingRecordRoutes } from '../meetings/record.routes.ts';
import { memberRoutes } from '../members/member.routes.ts';
import { questionRoutes } from '../questions/question.routes.ts';
import { searchRoutes } from '../search/search.routes.ts';
import { groupRoutes } from '../groups/group.routes.ts';
import { topicRoutes } from '../topics/topic.routes.ts';
import { answeringBodyRoutes } from '../bodies/body.routes.ts';
import { aboutRoutes } from '../about/about.routes.ts';
import { openApiRoutes } from '../api/api.routes.ts';
import { registerApiHttp } from '../api/api-http.ts';
import { feedRoutes } from '../feeds/feed.routes.ts';
import { downloadRoutes } from '../downloads/download.routes.ts';
import { pressReleaseRoutes } from '../press-releases/press-release.routes.ts';
import { importRoutes } from '../imports/import.routes.ts';
import { loadSiteInfo, type SiteInfo } from './site.ts';
import { createViewEnvironment } from './views.ts';
import { registerCompression } from './compression.ts';
import { registerPageCache } from './page-cache.ts';

export interface AppContext {
  db: Db;
  mode: DatabaseMode;
  config: Pick<Config, 'publicUrl' | 'logLevel'>;
  /** The clock; injectable so tests can fix "now" (and so today's date in London). */
  now?: () => Date;
  /** Seconds an anonymous visitor's HTML page may be served from the micro-cache (src/web/page-cache.ts); 0 or unset: off. */
  pageCacheSeconds?: number;
}

declare module 'fastify' {
  interface FastifyReply {
    render(template: string, context: Record<string, unknown>): FastifyReply;
  }
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route the app serves (method and URL pattern), for the role-by-route test and the API docs. */
    routeList: { method: string; url: string }[];
    site(): Promise<SiteInfo>;
    now(): Date;
    /** Today's date in London, where deadlines are counted. */
    today(): string;
  }
}

const publicAssets = projectPath('public', 'assets');

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    routerOptions: { ignoreTrailingSlash: true },
  });
  const views = createViewEnvironment();
  let siteCache: { value: SiteInfo; at: number } | undefined;

  app.decorate('ctx', ctx);
  app.decorate('now', () => ctx.now?.() ?? new Date());
  app.decorate('today', () => londonDate(ctx.now?.() ?? new Date()));
  app.decorate('site', async () => {
    if (!siteCache || Date.now() - siteCache.at > 30_000) siteCache = { value: await loadSiteInfo(ctx.db), at: Date.now() };
    return siteCache.value;
  });
  app.decorateReply('render', function (this: FastifyReply, template: string, context: Record<string, unknown>) {
    const request = this.request;
    return this.type('text/html; charset=utf-8').send(
      views.render(template, {
        currentUser: request.actor ?? null,
        workHome: request.actor ? homeFor(request.actor.role) : null,
        // Called only by templates with a form, so public pages create no session.
        csrf: () => this.generateCsrf(),
        flash: request.session?.takeFlash(),
        ...context,
      }),
    );
  });

  await app.register(formbody);
  await registerAuth(app, { db: ctx.db, now: () => ctx.now?.() ?? new Date() });
  await app.register(fastifyStatic, {
    root: publicAssets,
    prefix: '/assets/',
    maxAge: '1h',
    preCompressed: true,
    index: false,
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { status, code, message } = describeError(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    await sendError(app, request, reply, status, code, message, isAppError(error) ? error.fields : undefined);
  });
  app.setNotFoundHandler(async (request, reply) => {
    await sendError(app, request, reply, 404, 'not_found', 'Page not found');
  });

  const routeList: { method: string; url: string }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });

  registerApiHttp(app);
  // Before any route; the API's ETags are worked out on the uncompressed body.
  registerCompression(app);
  registerPageCache(app, { seconds: ctx.pageCacheSeconds ?? 0 });
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(homeRoutes);
  await app.register(questionRoutes);
  await app.register(searchRoutes);
  await app.register(groupRoutes);
  await app.register(topicRoutes);
  await app.register(answeringBodyRoutes);
  await app.register(aboutRoutes);
  await app.register(openApiRoutes);
  await app.register(feedRoutes);
  await app.register(downloadRoutes);
  await app.register(pressReleaseRoutes);
  await app.register(importRoutes);
  await app.register(memberRoutes);
  await app.register(meetingRoutes);
  await app.register(meetingCalendarRoutes);
  await app.register(orderPaperRoutes);
  await app.register(meetingRecordRoutes);
  await app.register(memberWorkRoutes);
  await app.register(clerkWorkRoutes);
  await app.register(executiveWorkRoutes);
  await app.register(adminRoutes);
  return app;
}

function describeError(error: unknown): { status: number; code: string; message: string } {
  if (isAppError(error)) return { status: error.status, code: error.code, message: error.message };
  const fastifyError = error as { statusCode?: number; code?: string; validation?: unknown };
  if (fastifyError.code === 'FST_CSRF_MISSING_SECRET' || fastifyError.code === 'FST_CSRF_INVALID_TOKEN') {
    return { status: 403, code: 'csrf_failed', message: 'This form has expired or did not come from this site. Go back, reload the page and try again.' };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // Fastify's own 4xx (malformed body, too large, unsupported type): safe to name, never internals.
    return { status: fastifyError.statusCode, code: 'bad_request', message: 'The request could not be read. Check what was sent and try again.' };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side.' };
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/healthz') || (request.headers.accept ?? '').startsWith('application/json');
}

async function sendError(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
) {
  reply.status(status);
  if (wantsJson(request)) return reply.send({ error: fields ? { code, message, fields } : { code, message } });
  let site: SiteInfo;
  try {
    site = await app.site();
  } catch {
    site = { name: 'Answerable', notice: null, isDemo: false };
  }
  const heading = status === 404 ? 'Page not found' : status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem';
  // A 404 from a route names what was missing; the catch-all one says which address had nothing.
  const routeMessage = code === 'not_found' && message !== 'Page not found';
  return reply.render('web/views/error.njk', {
    site,
    title: heading,
    heading,
    message: status === 404 ? (routeMessage ? message : 'We could not find that page.') : message,
    status,
    path: status === 404 ? request.url.split('?')[0]?.slice(0, 200) : undefined,
  });
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} was not found.`);
}

