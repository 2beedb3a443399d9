// Who is asking: resolves the actor from a bearer token or the browser session, guards unsafe methods with CSRF
// (browser sessions only), and offers the role checks routes declare.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import type { Actor } from './actor.ts';
import { userIdForToken } from './api-tokens.ts';
import { DEFAULT_TIMEOUTS, type SessionTimeouts } from './session-store.ts';
import { registerSessions } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    authMethod: 'session' | 'token' | null;
  }
}

export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'email', 'display_name', 'person_id', 'acting_for_id', 'organisation_id', 'disabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled_at !== null) return null;
  return {
    userId: user.id,
    role: user.role,
    email: user.email,
    displayName: user.display_name,
    personId: user.person_id,
    actingForId: user.acting_for_id,
    organisationId: user.organisation_id,
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function registerAuth(app: FastifyInstance, options: { db: Db; now: () => Date; timeouts?: SessionTimeouts }): Promise<void> {
  await app.register(cookie);
  await registerSessions(app, options.db, options.timeouts ?? DEFAULT_TIMEOUTS, options.now);
  await app.register(csrf, {
    sessionPlugin: '@fastify/secure-session',
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      const fromHeader = request.headers['x-csrf-token'];
      return fromBody ?? (typeof fromHeader === 'string' ? fromHeader : '');
    },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);

  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const userId = match?.[1] ? await userIdForToken(options.db, match[1]) : undefined;
      const actor = userId === undefined ? null : await loadActor(options.db, userId);
      if (!actor) throw new AppError('unauthorised', 'The API token is missing, revoked or not valid.');
      request.actor = actor;
      request.authMethod = 'token';
      return;
    }
    const userId = request.session.get('userId');
    if (userId !== undefined) {
      request.actor = await loadActor(options.db, userId);
      request.authMethod = request.actor ? 'session' : null;
    }
  });

  // Browser forms carry a CSRF token; API clients authenticate with a token header that a browser never sends by itself.
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || request.authMethod === 'token') return done();
    // An API call with no token is unauthenticated, not a forged form: say so (401) rather than "CSRF failed".
    if (!request.actor && request.url.startsWith('/api/')) return done(new AppError('unauthorised', 'Send an API token: Authorization: Bearer <token>.'));
    app.csrfProtection(request, reply, done);
  });
}

function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && !(request.headers.accept ?? '').startsWith('application/json');
}

/** A preHandler that lets only signed-in users with one of the roles through. */
export function requireRole(...roles: UserRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.actor) {
      if (wantsHtml(request) && request.method === 'GET') {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      throw new AppError('unauthorised', 'Sign in to do that.');
    }
    if (roles.length > 0 && !roles.includes(request.actor.role)) {
      throw new AppError('forbidden', 'Your account does not have permission to do that.');
    }
  };
}

/** The actor of a request that requireRole already let through. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthorised', 'Sign in to do that.');
  return request.actor;
}
