// The page micro-cache: anonymous HTML reads are served from it; signed-in, cookie-setting, API and non-200
// responses never are; a write empties it; entries expire.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { registerCompression } from './compression.ts';
import { registerPageCache } from './page-cache.ts';

async function app(seconds = 5) {
  const a = Fastify();
  let renders = 0;
  registerCompression(a);
  const cache = registerPageCache(a, { seconds });
  await a.register(async (child) => {
    child.get('/page', async (_request, reply) => {
      renders += 1;
      return reply.type('text/html; charset=utf-8').send(`<p>render ${renders}</p>${' '.repeat(2000)}`);
    });
    child.get('/form', async (_request, reply) => {
      renders += 1;
      return reply.header('set-cookie', 'x=1').type('text/html; charset=utf-8').send('<form></form>');
    });
    child.get('/missing', async (_request, reply) => {
      renders += 1;
      return reply.status(404).type('text/html; charset=utf-8').send('<p>not found</p>');
    });
    child.get('/api/v1/thing', async () => {
      renders += 1;
      return { renders };
    });
    child.post('/write', async () => ({ ok: true }));
  });
  return { a, cache, renders: () => renders };
}

test('anonymous pages are rendered once and served again from the cache, per encoding', async () => {
  const { a, renders } = await app();
  const first = await a.inject('/page');
  const second = await a.inject('/page');
  assert.equal(renders(), 1);
  assert.equal(second.body, first.body);
  assert.equal(second.headers['content-type'], 'text/html; charset=utf-8');
  const br1 = await a.inject({ url: '/page', headers: { 'accept-encoding': 'br' } });
  const br2 = await a.inject({ url: '/page', headers: { 'accept-encoding': 'br' } });
  assert.equal(renders(), 2);
  assert.equal(br2.headers['content-encoding'], 'br');
  assert.equal(zlib.brotliDecompressSync(br2.rawPayload).toString(), zlib.brotliDecompressSync(br1.rawPayload).toString());
  await a.close();
});

test('signed-in visitors, cookie-setting pages, errors and the API are never cached', async () => {
  const { a, renders } = await app();
  for (let i = 0; i < 2; i++) await a.inject({ url: '/page', headers: { cookie: `${SESSION_COOKIE}=abc` } });
  assert.equal(renders(), 2);
  for (let i = 0; i < 2; i++) await a.inject({ url: '/page', headers: { authorization: 'Bearer x' } });
  assert.equal(renders(), 4);
  for (const url of ['/form', '/missing', '/api/v1/thing']) for (let i = 0; i < 2; i++) await a.inject(url);
  assert.equal(renders(), 10);
  await a.close();
});

test('a write empties the cache, and entries expire', async () => {
  const { a, cache, renders } = await app(0.05);
  await a.inject('/page');
  await a.inject('/page');
  assert.equal(renders(), 1);
  await a.inject({ method: 'POST', url: '/write' });
  assert.equal(cache.size(), 0);
  await a.inject('/page');
  assert.equal(renders(), 2);
  await sleep(80);
  // Expired: the next request renders afresh (and is given the new page).
  const refreshed = await a.inject('/page');
  assert.equal(renders(), 3);
  assert.match(refreshed.body, /render 3/);
  await a.close();
});

test('while one request refreshes an expired page, the others are given the old copy', async () => {
  const a = Fastify();
  let renders = 0;
  let release: () => void = () => undefined;
  registerPageCache(a, { seconds: 0.05 });
  a.get('/slow', async (_request, reply) => {
    renders += 1;
    if (renders === 2) await new Promise<void>((resolve) => (release = resolve));
    return reply.type('text/html; charset=utf-8').send(`<p>render ${renders}</p>`);
  });
  await a.inject('/slow');
  await sleep(80);
  const refreshing = a.inject('/slow');
  await sleep(10);
  const meanwhile = await a.inject('/slow');
  assert.match(meanwhile.body, /render 1/);
  release();
  assert.match((await refreshing).body, /render 2/);
  assert.match((await a.inject('/slow')).body, /render 2/);
  assert.equal(renders, 2);
  await a.close();
});

test('requests for a page that is being rendered wait for that render instead of rendering it again', async () => {
  const a = Fastify();
  let renders = 0;
  registerPageCache(a, { seconds: 5 });
  a.get('/slow', async (_request, reply) => {
    renders += 1;
    await sleep(50);
    return reply.type('text/html; charset=utf-8').send(`<p>render ${renders}</p>`);
  });
  const bodies = await Promise.all(Array.from({ length: 10 }, () => a.inject('/slow').then((r) => r.body)));
  assert.equal(renders, 1);
  assert.deepEqual(new Set(bodies), new Set(['<p>render 1</p>']));
  await a.close();
});

test('with seconds = 0 the cache is off', async () => {
  const { a, renders } = await app(0);
  await a.inject('/page');
  await a.inject('/page');
  assert.equal(renders(), 2);
  await a.close();
});
