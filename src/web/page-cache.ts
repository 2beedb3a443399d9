// A short-lived cache of public HTML pages for anonymous visitors (a "micro-cache"): under load, a popular question
// or search is rendered once every few seconds instead of once per request. Any write through the app empties it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { chooseEncoding } from './compression.ts';

export interface PageCacheOptions {
  /** How long a page may be served from the cache; 0 switches the cache off. */
  seconds: number;
  maxEntries?: number;
  /** Pages larger than this are never cached. */
  maxPageBytes?: number;
}

interface Entry {
  at: number;
  /** When a request went to render a fresh copy of an expired entry (others get the old copy meanwhile). */
  refreshingSince?: number;
  generation: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const KEPT_HEADERS = ['content-type', 'content-encoding', 'vary', 'cache-control', 'content-language'];
const fromCache = Symbol('served from the page cache');
/** A refresh that has not come back in this long is tried again by the next request. */
const REFRESH_TIMEOUT_MS = 10_000;

const renders = Symbol('renders the page for the cache');
/** How long a request waits for another's render of the same page before rendering it itself. */
const WAIT_FOR_RENDER_MS = 5_000;

type Marked = FastifyRequest & { [fromCache]?: boolean; [renders]?: string };

/** Only anonymous reads: a signed-in page, an API token or a form's session must never be shared. */
function anonymousRead(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  if (request.headers.authorization !== undefined) return false;
  if ((request.headers.cookie ?? '').includes(SESSION_COOKIE)) return false;
  return !request.url.startsWith('/api/') && !request.url.startsWith('/healthz');
}

function keyOf(request: FastifyRequest): string {
  // The variant differs by encoding and by Accept (an error can be HTML or JSON); both go in the key.
  return `${request.url}\n${chooseEncoding(request.headers['accept-encoding']) ?? ''}\n${(request.headers.accept ?? '').slice(0, 200)}`;
}

export interface PageCache {
  /** Empties the cache (the app does it after every write it serves). */
  clear(): void;
  size(): number;
}

/**
 * Adds the cache's hooks to the root instance. Register it after the compression hook, so the cache keeps each
 * encoding's bytes as sent. With seconds = 0 nothing is registered.
 */
export function registerPageCache(app: FastifyInstance, options: PageCacheOptions): PageCache {
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, { promise: Promise<void>; done: () => void }>();
  let generation = 0;
  const ttl = options.seconds * 1000;
  const maxEntries = options.maxEntries ?? 1000;
  const maxPageBytes = options.maxPageBytes ?? 512 * 1024;
  const cache: PageCache = {
    clear() {
      generation += 1;
      entries.clear();
    },
    size: () => entries.size,
  };
  if (ttl <= 0) return cache;

  app.addHook('onRequest', async (request, reply) => {
    if (!anonymousRead(request)) return;
    const key = keyOf(request);
    let entry = entries.get(key);
    if (!entry) {
      // Not cached: the first request renders it; those arriving meanwhile wait for that render (for a while)
      // rather than all going to the database at once (after a start, or a write that emptied the cache).
      const pending = inflight.get(key);
      if (!pending) {
        let done: () => void = () => undefined;
        inflight.set(key, { promise: new Promise<void>((resolve) => (done = resolve)), done });
        (request as Marked)[renders] = key;
        return;
      }
      await Promise.race([pending.promise, sleep(WAIT_FOR_RENDER_MS)]);
      entry = entries.get(key);
      if (!entry) return;
    }
    if (entry.generation !== generation) {
      entries.delete(key);
      return;
    }
    const now = Date.now();
    if (now - entry.at > ttl) {
      // Expired: one request renders a fresh copy while the others are given this one, so a popular page's expiry
      // never sends every waiting visitor to the database at once. A write (above) is never served stale.
      if (entry.refreshingSince === undefined || now - entry.refreshingSince > REFRESH_TIMEOUT_MS) {
        entry.refreshingSince = now;
        return;
      }
    }
    (request as Marked)[fromCache] = true;
    return reply.headers(entry.headers).header('age', Math.floor((now - entry.at) / 1000)).send(entry.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if ((request as Marked)[fromCache] || !anonymousRead(request)) return payload;
    if (reply.statusCode !== 200) {
      // The page is gone or failing: drop any copy rather than keep serving it.
      entries.delete(keyOf(request));
      return payload;
    }
    if (reply.hasHeader('set-cookie')) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (Buffer.byteLength(payload) > maxPageBytes) return payload;
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    if (entries.size >= maxEntries) {
      // The oldest entry goes first (a Map keeps insertion order).
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(keyOf(request), { at: Date.now(), generation, headers, body: payload });
    return payload;
  });

  // A write through the app may change any page: start again. (Writes from outside, such as an import from the
  // command line, show within `seconds`.)
  app.addHook('onResponse', async (request) => {
    const key = (request as Marked)[renders];
    if (key !== undefined) {
      inflight.get(key)?.done();
      inflight.delete(key);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') cache.clear();
  });
  return cache;
}
