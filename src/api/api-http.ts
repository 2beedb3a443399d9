// HTTP behaviour shared by the open API's public reads: CORS, caching validators (ETag, Last-Modified) and 304s,
// and a 405 for anything but a read. Hooks on the root instance, so every /api/v1 route gets them without asking.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths under /api/v1 that belong to signed-in users: never cached publicly, never opened to other origins. */
const PRIVATE_PREFIXES = ['/api/v1/work', '/api/v1/admin', '/api/v1/me'];
const READS = new Set(['GET', 'HEAD']);
export const API_CACHE_CONTROL = 'public, max-age=60';
const EXPOSED = 'ETag, Last-Modified, Link';

/** True for the open API's public paths (the query string is ignored). */
export function isPublicApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path !== '/api/v1' && !path.startsWith('/api/v1/')) return false;
  return !PRIVATE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

const lastModifiedKey = Symbol('lastModified');
type WithLastModified = FastifyReply & { [lastModifiedKey]?: Date };

/** A route that knows when its data last changed says so; the hook sends Last-Modified and answers If-Modified-Since. */
export function setLastModified(reply: FastifyReply, at: Date | null | undefined): void {
  if (at) (reply as WithLastModified)[lastModifiedKey] = at;
}

/** A strong validator: the same bytes give the same tag, whatever process served them. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function ifNoneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  // Weak comparison is what If-None-Match asks for (RFC 9110 13.1.2): W/"x" matches "x".
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function notModifiedSince(request: FastifyRequest, lastModified: Date | undefined): boolean {
  const since = request.headers['if-modified-since'];
  // If-None-Match wins when both are sent (RFC 9110 13.2.2).
  if (!lastModified || !since || request.headers['if-none-match'] !== undefined) return false;
  const sinceMs = Date.parse(since);
  return !Number.isNaN(sinceMs) && Math.floor(lastModified.getTime() / 1000) * 1000 <= sinceMs;
}

function methodNotAllowed(reply: FastifyReply) {
  return reply
    .status(405)
    .header('allow', 'GET, HEAD, OPTIONS')
    .header('access-control-allow-origin', '*')
    .send({ error: { code: 'method_not_allowed', message: 'The open API is read-only: use GET.' } });
}

/** Called on the root instance before any route is registered, so its hooks see every request. */
export function registerApiHttp(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isPublicApiPath(request.url)) return;
    if (request.method === 'OPTIONS') {
      // A CORS preflight: only reads are allowed, with no credentials, from anywhere.
      const asked = request.headers['access-control-request-method'];
      if (asked !== undefined && !READS.has(asked.toUpperCase())) return methodNotAllowed(reply);
      return reply
        .status(204)
        .header('allow', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, HEAD')
        .header('access-control-allow-headers', 'If-None-Match, If-Modified-Since, Accept')
        .header('access-control-max-age', '86400')
        .send();
    }
    if (!READS.has(request.method) && request.is404) return methodNotAllowed(reply);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!READS.has(request.method) || !isPublicApiPath(request.url)) return payload;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', EXPOSED);
    if (reply.statusCode !== 200) {
      if (reply.statusCode >= 400) reply.header('cache-control', 'no-cache');
      return payload;
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', API_CACHE_CONTROL);
    const lastModified = (reply as WithLastModified)[lastModifiedKey];
    if (lastModified) reply.header('last-modified', lastModified.toUTCString());
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload; // a stream: no tag
    const etag = strongEtag(payload);
    reply.header('etag', etag);
    const ifNoneMatch = request.headers['if-none-match'];
    if ((ifNoneMatch !== undefined && ifNoneMatchHits(ifNoneMatch, etag)) || notModifiedSince(request, lastModified)) {
      reply.status(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
