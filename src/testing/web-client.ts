// Test clients for the web app: a browser that keeps cookies and finds each form's CSRF token, signed in as any
// user by a real session row; and an API client with a real per-user token. No mocks: the same hooks run.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { hashSessionId } from '../auth/session-store.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';

export interface TestBrowser {
  jar: Map<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form; with fromPage, first loads that page and uses the CSRF token of its first form. */
  post(url: string, form: Record<string, string | string[]>, fromPage?: string): Promise<LightMyRequestResponse>;
  /** Posts a multipart form with files, as a browser does for a form with enctype="multipart/form-data". */
  upload(url: string, form: Record<string, string>, files: Record<string, TestFile>, fromPage?: string): Promise<LightMyRequestResponse>;
}

export interface TestFile {
  fileName: string;
  content: Buffer;
  type?: string;
}

/** The CSRF token in a page's first form. */
export function csrfTokenIn(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

export function browser(app: FastifyInstance): TestBrowser {
  const jar = new Map<string, string>();
  const remember = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
      else jar.set(c.name, c.value);
    }
    return res;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    jar,
    async get(url) {
      return remember(await app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
    },
    async post(url, form, fromPage) {
      let csrf = typeof form._csrf === 'string' ? form._csrf : undefined;
      if (csrf === undefined && fromPage) csrf = csrfTokenIn((await this.get(fromPage)).body);
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(form)) {
        if (key === '_csrf') continue;
        for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
      }
      params.append('_csrf', csrf ?? '');
      return remember(
        await app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: params.toString() }),
      );
    },
    async upload(url, form, files, fromPage) {
      let csrf = form._csrf;
      if (csrf === undefined && fromPage) csrf = csrfTokenIn((await this.get(fromPage)).body);
      const boundary = `----answerable${randomBytes(8).toString('hex')}`;
      const parts: Buffer[] = [];
      for (const [key, value] of Object.entries({ ...form, _csrf: csrf ?? '' })) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
      }
      for (const [key, file] of Object.entries(files)) {
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"; filename="${file.fileName}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
          file.content,
          Buffer.from('\r\n'),
        );
      }
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      return remember(
        await app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) }),
      );
    },
  };
}

/** A browser already signed in as the user (second factor done), through a real session row. */
export async function signedInBrowser(app: FastifyInstance, db: Db, actor: Pick<Actor, 'userId'>, now: Date = new Date()): Promise<TestBrowser> {
  const id = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSessionId(id),
      user_id: actor.userId,
      pending_user_id: null,
      csrf_secret: '',
      flash: null,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 12 * 60 * 60_000),
    })
    .execute();
  const b = browser(app);
  b.jar.set(SESSION_COOKIE, id);
  return b;
}

export interface TestApiClient {
  token: string;
  get(url: string): Promise<LightMyRequestResponse>;
  send(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** An API client authenticated with a real token of the user. */
export async function apiClient(app: FastifyInstance, db: Db, actor: Actor): Promise<TestApiClient> {
  const { token } = await db.transaction().execute((trx) => createApiToken(trx, actor, `test ${randomBytes(3).toString('hex')}`));
  const authorization = `Bearer ${token}`;
  return {
    token,
    get: (url) => app.inject({ method: 'GET', url, headers: { authorization, accept: 'application/json' } }),
    send: (method, url, body) =>
      app.inject({ method, url, headers: { authorization, 'content-type': 'application/json', accept: 'application/json' }, payload: JSON.stringify(body ?? {}) }),
  };
}
