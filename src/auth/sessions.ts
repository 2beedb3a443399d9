// Browser sessions: an unguessable id in a __Host- cookie, the state in the database (so sessions can be revoked),
// renewed at sign-in, ended by sign-out, idle and absolute timeouts enforced on the server.
//
// Written here rather than with @fastify/session because that plugin refuses to save a Secure cookie over plain
// HTTP, and a __Host- cookie must be Secure: browsers accept Secure cookies from http://localhost, so local use and
// the browser tests need the cookie set there too. Behind TLS in production the behaviour is the same.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { Db } from '../db/database.ts';
import { databaseSessionStore, type SessionData, type SessionTimeouts } from './session-store.ts';

export const SESSION_COOKIE = '__Host-answerable';

const COOKIE_OPTIONS = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

/** Writing last_seen_at on every request would turn every page view into a write; once a minute is enough. */
const TOUCH_AFTER_MS = 60_000;

export class Session {
  id: string | undefined;
  private data: SessionData;
  private dirty = false;
  private previousId: string | undefined;
  private destroyed = false;
  readonly lastSeenAt: number | undefined;

  private readonly clock: () => Date;

  constructor(id: string | undefined, data: SessionData, lastSeenAt?: number, clock: () => Date = () => new Date()) {
    this.clock = clock;
    this.id = id;
    this.data = data;
    this.lastSeenAt = lastSeenAt;
  }

  get<K extends keyof SessionData>(key: K): SessionData[K] {
    return this.data[key];
  }

  set<K extends keyof SessionData>(key: K, value: SessionData[K]): void {
    this.data[key] = value;
    this.dirty = true;
  }

  /** Required by @fastify/csrf-protection's secure-session mode; cookie options here are fixed. */
  options(_opts: unknown): void {}

  /** A new id for the same browser (at sign-in), so an id planted before sign-in is worthless after it. */
  regenerate(keep: Partial<SessionData> = {}): void {
    if (this.id) this.previousId = this.id;
    this.id = undefined;
    this.data = { ...keep, createdAt: this.clock().getTime() };
    this.dirty = true;
  }

  destroy(): void {
    this.destroyed = true;
    this.dirty = false;
  }

  /** Reads the one-off message and forgets it. */
  takeFlash(): string | undefined {
    const flash = this.data.flash;
    if (flash !== undefined) this.set('flash', undefined);
    return flash;
  }

  get state() {
    return { data: this.data, dirty: this.dirty, previousId: this.previousId, destroyed: this.destroyed };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error('The session store failed');
}

export async function registerSessions(app: FastifyInstance, db: Db, timeouts: SessionTimeouts, now: () => Date): Promise<void> {
  const store = databaseSessionStore(db, timeouts, now);
  const load = (id: string) =>
    new Promise<(SessionData & { lastSeenAt?: number }) | null>((resolve, reject) =>
      store.get(id, (error, session) => (error ? reject(toError(error)) : resolve(session ?? null))),
    );
  const save = (id: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.set(id, data, (error) => (error ? reject(toError(error)) : resolve())));
  const revoke = (id: string) =>
    new Promise<void>((resolve, reject) => store.destroy(id, (error) => (error ? reject(toError(error)) : resolve())));

  app.decorateRequest('session', null as unknown as Session);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const id = request.cookies[SESSION_COOKIE];
    const stored = id && /^[A-Za-z0-9_-]{43}$/.test(id) ? await load(id) : null;
    request.session = stored && id ? new Session(id, stored, stored.lastSeenAt, now) : new Session(undefined, {}, undefined, now);
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const session = request.session as Session | null;
    if (!session) return payload;
    const { data, dirty, previousId, destroyed } = session.state;
    if (previousId) await revoke(previousId);
    if (destroyed) {
      if (session.id) await revoke(session.id);
      reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
      return payload;
    }
    const stale = session.lastSeenAt !== undefined && now().getTime() - session.lastSeenAt > TOUCH_AFTER_MS;
    if (dirty || (session.id && stale)) {
      const fresh = !session.id;
      session.id ??= randomBytes(32).toString('base64url');
      await save(session.id, { ...data, createdAt: data.createdAt ?? now().getTime() });
      if (fresh) reply.setCookie(SESSION_COOKIE, session.id, COOKIE_OPTIONS);
    }
    return payload;
  });
}
