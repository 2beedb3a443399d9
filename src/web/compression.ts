// Response compression without another dependency: pages, JSON, feeds and CSV are compressed with brotli or gzip
// (zlib, off the event loop) when the client accepts it; static assets are served precompressed at build time.
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Below this, compression saves less than it costs. */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|ld\+json|problem\+json|javascript|xml|atom\+xml|rss\+xml|x-ndjson|vnd\.oai\.openapi\+json)|image\/svg\+xml)/;

export type Encoding = 'br' | 'gzip';

/** The encoding to use for a request's Accept-Encoding header: brotli, then gzip, else none (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

function compressible(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method === 'HEAD' || reply.statusCode === 204 || reply.statusCode === 304) return false;
  if (reply.getHeader('content-encoding')) return false;
  const type = String(reply.getHeader('content-type') ?? '');
  return COMPRESSIBLE.test(type);
}

/**
 * Adds the compression hook to the app. Register it on the root instance before any routes, so every route
 * (each domain folder's encapsulated plugin inherits the root's hooks) is covered.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (payload === null || payload === undefined || !compressible(request, reply)) return payload;
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    // Whatever was chosen, a cache must keep the variants apart.
    reply.header('vary', appendVary(reply.getHeader('vary')));
    if (!encoding) return payload;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
      if (body.length < MIN_BYTES) return payload;
      // Quality 5 brotli is faster than gzip -6 and smaller: dynamic pages are compressed on every request.
      const compressed = encoding === 'br' ? await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : await gzip(body, { level: 6 });
      reply.header('content-encoding', encoding);
      reply.header('content-length', compressed.length);
      return compressed;
    }
    if (payload instanceof Readable) {
      // Streamed downloads (NDJSON, CSV) are compressed as they stream; their length is not known in advance.
      reply.header('content-encoding', encoding);
      reply.removeHeader('content-length');
      const stream = encoding === 'br' ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }) : zlib.createGzip({ level: 6 });
      payload.on('error', (error) => stream.destroy(error));
      return payload.pipe(stream);
    }
    return payload;
  });
}

function appendVary(current: number | string | string[] | undefined): string {
  const values = [current ?? []].flat().flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'accept-encoding' || v === '*')) values.push('Accept-Encoding');
  return values.join(', ');
}
