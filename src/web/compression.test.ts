// Response compression: brotli or gzip by Accept-Encoding, strings and streams, small and binary bodies left alone.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { chooseEncoding, registerCompression } from './compression.ts';

const PAGE = `<!DOCTYPE html><title>t</title>${'<p>Questions to the Mayor, answered on the record.</p>'.repeat(100)}`;

async function app() {
  const a = Fastify();
  registerCompression(a);
  await a.register(async (child) => {
    // A route inside an encapsulated plugin, as every domain folder's routes are.
    child.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
    child.get('/small', async (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>hi</p>'));
    child.get('/png', async (_request, reply) => reply.type('image/png').send(Buffer.alloc(4096)));
    child.get('/stream', async (_request, reply) => reply.type('application/x-ndjson').send(Readable.from(Array.from({ length: 200 }, (_, i) => `{"n":${i}}\n`))));
    child.get('/json', async () => ({ items: Array.from({ length: 200 }, (_, i) => ({ reference: `2026/${i}` })) }));
  });
  return a;
}

test('Accept-Encoding picks brotli, then gzip, and respects q=0', () => {
  assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(chooseEncoding('gzip'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(chooseEncoding('*'), 'br');
  assert.equal(chooseEncoding('identity'), undefined);
  assert.equal(chooseEncoding(undefined), undefined);
  assert.equal(chooseEncoding(''), undefined);
});

test('pages, JSON and streams are compressed; small and binary bodies are not', async () => {
  const a = await app();
  const br = await a.inject({ url: '/page', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.vary), /Accept-Encoding/);
  assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), PAGE);
  assert.ok(br.rawPayload.length < PAGE.length / 5);

  const gz = await a.inject({ url: '/json', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal((JSON.parse(zlib.gunzipSync(gz.rawPayload).toString()) as { items: unknown[] }).items.length, 200);

  const plain = await a.inject({ url: '/page' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, PAGE);

  const stream = await a.inject({ url: '/stream', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(stream.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(stream.rawPayload).toString().split('\n').length, 201);

  for (const url of ['/small', '/png']) {
    const res = await a.inject({ url, headers: { 'accept-encoding': 'br' } });
    assert.equal(res.headers['content-encoding'], undefined, url);
  }
  await a.close();
});
