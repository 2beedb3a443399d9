// The search pages over HTTP: the page and its JSON twin, clear 400s for bad addresses, escaped output, links.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';

let demo: DemoApp;
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

const get = (url: string) => demo.app.inject({ method: 'GET', url });
interface ApiPage {
  items: { reference: string; url: string; title: string; snippet: { text: string; highlighted: boolean }[] }[];
  total: number;
  totalIsEstimate: boolean;
  pageCount: number;
  facets: Record<string, { value: string; label: string; count: number; selected: boolean }[]>;
  links: { self: string; next: string | null; prev: string | null };
}

test('the search page shows results with highlighted snippets, facets with counts and the links to reuse them', async () => {
  const res = await get('/search?q=police&type=written');
  assert.equal(res.statusCode, 200);
  const html = res.body;
  assert.match(html, /\d+ questions? found/);
  assert.match(html, /<mark>police<\/mark>/i);
  assert.match(html, /<legend[^>]*>\s*Asked by\s*<\/legend>/);
  assert.match(html, /type="radio" value="written" checked/);
  assert.match(html, /href="\/feeds\/search\.atom\?q=police&amp;type=written"/);
  assert.match(html, /href="\/downloads\/questions\.csv\?q=police&amp;type=written"/);
  assert.match(html, /href="\/downloads\/questions\.ndjson\?q=police&amp;type=written"/);
  // The older address is the same page.
  const old = await get('/questions?q=police&type=written');
  assert.equal(old.statusCode, 200);
  assert.match(old.body, /\d+ questions? found/);
});

test('the JSON twin carries items, total, facets and absolute next links with every filter', async () => {
  const res = await get('/api/v1/questions?q=police&sort=newest');
  assert.equal(res.statusCode, 200);
  const body = res.json<ApiPage>();
  assert.ok(body.total > 0 && body.items.length > 0);
  assert.ok(body.facets.member!.length > 0 && body.facets.status!.length > 0);
  assert.ok(body.items[0]!.url.startsWith('http://answerable.test/questions/'));
  const small = (await get('/api/v1/questions?type=written')).json<ApiPage>();
  assert.ok(small.pageCount > 1);
  assert.equal(small.links.next, 'http://answerable.test/api/v1/questions?type=written&page=2');
  const next = (await get((small.links.next ?? '').replace('http://answerable.test', ''))).json<ApiPage>();
  assert.equal(next.links.prev, 'http://answerable.test/api/v1/questions?type=written');
  assert.ok(next.items.every((i) => !small.items.some((j) => j.reference === i.reference)));
});

test('bad addresses are clear 400s, in HTML and JSON, never 500s', async () => {
  const cases: [string, RegExp][] = [
    ['from=2024-02-30', /From date must be a real date/],
    ['to=31%2F12%2F2024', /To date must be a real date/],
    ['page=1000000', /Page must be 500 or less/],
    ['page=banana', /Page must be a whole number/],
    ['member=nobody-at-all', /There is no member “nobody-at-all”/],
    ['status=lost', /Status must be one of/],
    ['body=Not+A+Slug', /Answering body must be a reference/],
  ];
  for (const [query, message] of cases) {
    const page = await get(`/search?${query}`);
    assert.equal(page.statusCode, 400, query);
    assert.match(page.body, message);
    const api = await get(`/api/v1/questions?${query}`);
    assert.equal(api.statusCode, 400, query);
    const body = api.json<{ error: { code: string; message: string } }>();
    assert.equal(body.error.code, 'validation_failed');
    assert.match(body.error.message, message);
  }
});

test('hostile text is searched for and shown escaped', async () => {
  for (const q of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '\u0000\u0007', "' OR 1=1 --", '"unclosed', '-', 'a'.repeat(3000)]) {
    const res = await get(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.statusCode, 200, JSON.stringify(q));
    assert.doesNotMatch(res.body, /<script>alert|<img src=x/);
    const api = await get(`/api/v1/questions?q=${encodeURIComponent(q)}`);
    assert.equal(api.statusCode, 200);
  }
  const echoed = await get(`/search?q=${encodeURIComponent('<b>bold</b>')}`);
  assert.match(echoed.body, /&lt;b&gt;bold&lt;\/b&gt;/);
});
