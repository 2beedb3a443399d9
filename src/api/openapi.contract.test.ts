// Contract tests: the OpenAPI document lists exactly the public GET /api/v1 routes, and every response the demo app
// gives (success and error) validates against the documented schema (JSON Schema 2020-12, ajv). Schemas forbid
// unknown fields, so a presenter that adds, drops or renames a field fails here until the document says so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { sql } from 'kysely';
import { loadActor } from '../auth/auth.plugin.ts';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { apiClient } from '../testing/web-client.ts';
import { isPublicApiPath } from './api-http.ts';
import { ENDPOINTS } from './endpoints.ts';
import { openApiPath, type OpenApiDocument } from './openapi.ts';

const DOC_ID = 'https://answerable.test/openapi.json';

let demo: DemoApp;
let doc: OpenApiDocument;
let ajv: Ajv2020;

const get = (url: string, headers: Record<string, string> = {}) => demo.app.inject({ method: 'GET', url, headers });

function validatorFor(componentId: string): ValidateFunction {
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${componentId}`);
  assert.ok(validate, `no component schema ${componentId}`);
  return validate;
}

function responseComponent(path: string, status: number): string {
  const op = doc.paths[path]?.get;
  assert.ok(op, `${path} is not documented`);
  const response = (op.responses as Record<string, { content?: Record<string, { schema: { $ref: string } }> }>)[String(status)];
  assert.ok(response?.content, `${path} documents no ${status} body`);
  const ref = response.content['application/json']?.schema.$ref ?? '';
  return ref.replace('#/components/schemas/', '');
}

function assertValid(path: string, status: number, url: string, body: unknown) {
  const validate = validatorFor(responseComponent(path, status));
  const ok = validate(body);
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  assert.ok(ok, `${url} (${status}) does not match ${path}'s documented schema:\n${[...new Set(problems)].join('\n')}`);
}

/** Concrete demo URLs for each route: several per route, chosen to cover the shapes (corrections, follow-ups ...). */
async function concreteUrls(): Promise<Map<string, string[]>> {
  const db = demo.t.db;
  const refs = await sql<{ y: number; n: number }>`
    (select reference_year as y, reference_number as n from questions q where reference_number is not null and question_type <> 'supplementary'
       and state in ('accepted','withdrawn') and (exists (select 1 from answer_versions a where a.question_id = q.id and a.kind = 'correction')
       or follow_up_of_id is not null or state = 'withdrawn' or not_reached
       or exists (select 1 from answer_versions a where a.question_id = q.id and a.kind = 'holding')
       or exists (select 1 from questions s where s.parent_question_id = q.id))
     order by id limit 24)
    union
    (select reference_year, reference_number from questions where reference_number is not null and question_type <> 'supplementary' and state = 'accepted' order by id desc limit 6)`.execute(db);
  const meetings = await db.selectFrom('meetings').select('slug').orderBy('meets_on').execute();
  const members = await db.selectFrom('people').select('slug').orderBy('id').limit(6).execute();
  const urls = new Map<string, string[]>();
  const set = (route: string, list: string[]) => urls.set(route, list);
  set('/api/v1/questions', ['/api/v1/questions', '/api/v1/questions?q=police', '/api/v1/questions?page=2', '/api/v1/questions?q=%22bus%20fares%22%20-tram', '/api/v1/questions?page=500']);
  set('/api/v1/questions/:year/:number', refs.rows.map((r) => `/api/v1/questions/${r.y}/${String(r.n).padStart(4, '0')}`));
  set('/api/v1/members/:slug', members.map((m) => `/api/v1/members/${m.slug}`));
  // A spread of meetings (oldest, every sixth, the latest three: held, upcoming, with and without papers), to keep it quick.
  const sample = meetings.filter((_m, i) => i % 6 === 0 || i >= meetings.length - 3);
  for (const e of ENDPOINTS.filter((x) => x.route.startsWith('/api/v1/meetings/:slug'))) {
    set(e.route, sample.map((m) => e.route.replace(':slug', m.slug)));
  }
  const orgs = await db.selectFrom('organisations').select(['slug', 'classification']).orderBy('id').execute();
  const topics = await db.selectFrom('topics').select('slug').orderBy('id').execute();
  set('/api/v1/members', ['/api/v1/members', '/api/v1/members?page=2', '/api/v1/members?page=500']);
  set('/api/v1/groups/:slug', orgs.filter((o) => o.classification === 'party_group').map((o) => `/api/v1/groups/${o.slug}`));
  set('/api/v1/bodies/:slug', orgs.filter((o) => o.classification === 'executive' || o.classification === 'functional_body').map((o) => `/api/v1/bodies/${o.slug}`));
  set('/api/v1/topics/:slug', topics.map((t) => `/api/v1/topics/${t.slug}`));
  for (const list of ['groups', 'bodies', 'topics']) set(`/api/v1/${list}`, [`/api/v1/${list}`]);
  const releases = await pressReleases();
  set('/api/v1/press-releases', ['/api/v1/press-releases', '/api/v1/press-releases?page=2']);
  set('/api/v1/press-releases/:slug', releases.map((r) => `/api/v1/press-releases/${r.slug}`));
  set('/api/v1/meetings', ['/api/v1/meetings', '/api/v1/meetings?page=9']);
  set('/api/v1/calendar', ['/api/v1/calendar']);
  set('/api/v1/openapi.json', ['/api/v1/openapi.json']);
  return urls;
}

/** The demo's press releases; when it has none, one published and one withdrawn, written through the work API. */
async function pressReleases(): Promise<{ slug: string }[]> {
  const db = demo.t.db;
  const existing = await db.selectFrom('press_releases').select('slug').where('published_at', 'is not', null).orderBy('id').execute();
  if (existing.length > 0) return existing;
  const user = await db.selectFrom('users').select('id').where('role', '=', 'press_officer').orderBy('id').executeTakeFirstOrThrow();
  const actor = await loadActor(db, user.id);
  assert.ok(actor, 'the demo press officer can sign in');
  const client = await apiClient(demo.app, db, actor);
  const answered = await db
    .selectFrom('questions')
    .select(['reference_year', 'reference_number'])
    .where((eb) => eb.exists(eb.selectFrom('answer_versions').select('id').whereRef('answer_versions.question_id', '=', 'questions.id').where('kind', '=', 'substantive')))
    .where('state', '=', 'accepted')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const reference = `${answered.reference_year}/${String(answered.reference_number).padStart(4, '0')}`;
  for (const withdraw of [false, true]) {
    const created = await client.send('POST', '/api/v1/work/press-releases', {
      headline: withdraw ? 'A release later withdrawn' : 'Bus fares: what the Mayor said',
      body: 'The Mayor answered.',
      author: 'hannah-okoye',
      categories: ['Transport'],
      quotes: [{ person: 'hannah-okoye', text: 'We asked.' }],
      citations: [{ reference }],
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json<{ id: number }>().id;
    const published = await client.send('POST', `/api/v1/work/press-releases/${id}/publish`);
    assert.equal(published.statusCode, 200, published.body);
    if (withdraw) assert.equal((await client.send('POST', `/api/v1/work/press-releases/${id}/unpublish`, { reason: 'A mistake' })).statusCode, 200);
  }
  return db.selectFrom('press_releases').select('slug').where('published_at', 'is not', null).orderBy('id').execute();
}

before(async () => {
  demo = await createDemoApp();
  doc = (await get('/api/v1/openapi.json')).json<OpenApiDocument>();
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
});
after(async () => demo.close());

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 and every component schema compiles', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const id of Object.keys(doc.components.schemas)) validatorFor(id);
  });

  test('documents every public GET /api/v1 route, and nothing that is not one', () => {
    const served = new Set(demo.app.routeList.filter((r) => r.method === 'GET' && isPublicApiPath(r.url)).map((r) => r.url));
    const documented = new Set(ENDPOINTS.map((e) => e.route));
    assert.deepEqual([...served].filter((r) => !documented.has(r)), [], 'public API routes missing from src/api/endpoints.ts');
    assert.deepEqual([...documented].filter((r) => !served.has(r)), [], 'documented routes the app does not serve');
    assert.deepEqual(Object.keys(doc.paths).sort(), [...documented].map(openApiPath).sort());
  });

  test('documents every path parameter of each route', () => {
    for (const e of ENDPOINTS) {
      const inRoute = [...e.route.matchAll(/:(\w+)/g)].map((m) => m[1]);
      assert.deepEqual((e.pathParams ?? []).map((p) => p.name), inRoute, e.route);
    }
  });

  test('the schemas are strict: an added, missing or renamed field fails', async () => {
    const body = (await get('/api/v1/calendar')).json<{ meetings: Record<string, unknown>[] }>();
    const validate = validatorFor(responseComponent('/api/v1/calendar', 200));
    assert.ok(validate(body));
    assert.equal(validate({ ...body, extra: 1 }), false);
    const { count: _count, ...missing } = body as unknown as Record<string, unknown>;
    assert.equal(validate(missing), false);
    const first = body.meetings[0];
    if (first) {
      const { title, ...rest } = first;
      assert.equal(validate({ ...body, meetings: [{ ...rest, name: title }] }), false);
    }
  });
});

describe('every documented endpoint answers as documented', () => {
  test('success responses validate against their schemas', async () => {
    const urls = await concreteUrls();
    for (const e of ENDPOINTS) {
      const list = urls.get(e.route) ?? [];
      assert.ok(list.length > 0, `no demo URL for ${e.route}: add one in concreteUrls()`);
      let ok = 0;
      for (const url of list) {
        const res = await get(url);
        if (res.statusCode === 404 && e.errors.includes(404)) {
          assertValid(openApiPath(e.route), 404, url, res.json());
          continue; // e.g. a meeting whose report or order paper is not published, a release not yet out
        }
        if (res.statusCode === 410 && e.gone) {
          assertValid(openApiPath(e.route), 410, url, res.json());
          continue;
        }
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assertValid(openApiPath(e.route), 200, url, res.json());
        ok += 1;
      }
      assert.ok(ok > 0, `${e.route}: no demo URL gave a 200`);
    }
  });

  test('unknown identifiers give the documented 404 error', async () => {
    for (const e of ENDPOINTS.filter((x) => x.errors.includes(404))) {
      const url = e.route.replace(':year', '1999').replace(':number', '9999').replace(':slug', 'no-such-thing');
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assertValid(openApiPath(e.route), 404, url, res.json());
    }
  });

  test('bad query strings give the documented 400 error, never a 500', async () => {
    const bad = ['?page=abc', '?page=0', '?page=1e9', '?page=-1', '?page=1.5'];
    for (const e of ENDPOINTS.filter((x) => x.query?.some((p) => p.name === 'page'))) {
      for (const query of bad) {
        const url = `${e.route}${query}`;
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        assertValid(openApiPath(e.route), 400, url, res.json());
      }
    }
    for (const query of ['year=abc', 'from=2026-13-45', 'type=bogus', 'status=bogus', 'sort=sideways', 'member=no-such-member', 'body=%00']) {
      const url = `/api/v1/questions?${query}`;
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assertValid('/api/v1/questions', 400, url, res.json());
    }
  });

  test('an unknown /api/v1 path is a JSON 404 in the error shape', async () => {
    const res = await get('/api/v1/no-such-endpoint');
    assert.equal(res.statusCode, 404);
    assert.ok(validatorFor('Error')(res.json()));
  });
});

describe('the docs page', () => {
  test('lists every endpoint, and every example request on it works', async () => {
    const page = await get('/api');
    assert.equal(page.statusCode, 200);
    for (const e of ENDPOINTS) assert.ok(page.body.includes(`GET ${openApiPath(e.route)}`), `${e.route} is on the docs page`);
    const examples = [...page.body.matchAll(/curl '([^']+)'/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
    assert.equal(examples.length, ENDPOINTS.length);
    const failing: string[] = [];
    for (const example of examples) {
      const res = await get(example.replace('http://answerable.test', ''));
      if (res.statusCode !== 200) failing.push(`${example} → ${res.statusCode}`);
    }
    // A demo without press releases has no example for one.
    assert.deepEqual(failing.filter((f) => !f.includes('/press-releases/')), []);
  });
});

describe('HTTP behaviour of the open API', () => {
  test('reads are open to any origin, never with credentials', async () => {
    const res = await get('/api/v1/calendar', { origin: 'https://example.org' });
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.match(String(res.headers['access-control-expose-headers']), /ETag/);
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
  });

  test('a preflight for GET is answered; for anything else it is refused', async () => {
    const ok = await demo.app.inject({ method: 'OPTIONS', url: '/api/v1/questions', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['access-control-allow-origin'], '*');
    assert.match(String(ok.headers['access-control-allow-methods']), /GET/);
    assert.doesNotMatch(String(ok.headers['access-control-allow-methods']), /POST/);
    const refused = await demo.app.inject({ method: 'OPTIONS', url: '/api/v1/questions', headers: { origin: 'https://example.org', 'access-control-request-method': 'DELETE' } });
    assert.equal(refused.statusCode, 405);
  });

  test('the signed-in parts of /api/v1 get no CORS and no public caching', async () => {
    for (const url of ['/api/v1/work/questions', '/api/v1/admin/users', '/api/v1/me']) {
      const res = await get(url, { origin: 'https://example.org' });
      assert.equal(res.headers['access-control-allow-origin'], undefined, url);
      assert.notEqual(res.headers['cache-control'], 'public, max-age=60', url);
    }
  });

  test('ETag and If-None-Match give a 304 with no body; a changed tag gives the body', async () => {
    const first = await get('/api/v1/questions');
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal((await get('/api/v1/questions')).headers.etag, etag, 'the same body has the same tag');
    const again = await get('/api/v1/questions', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal((await get('/api/v1/questions', { 'if-none-match': `W/${etag}, "other"` })).statusCode, 304);
    assert.equal((await get('/api/v1/questions', { 'if-none-match': '"stale"' })).statusCode, 200);
    const head = await demo.app.inject({ method: 'HEAD', url: '/api/v1/questions' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers.etag, etag);
  });

  test('the public API is read-only: other methods give a JSON 405', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await demo.app.inject({ method, url: '/api/v1/questions', payload: {} });
      assert.equal(res.statusCode, 405, method);
      assert.match(String(res.headers.allow), /GET/);
      assert.ok(validatorFor('Error')(res.json()));
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'method_not_allowed');
    }
    // The signed-in API keeps its own methods: unauthenticated POSTs there are a 401, not a 405.
    assert.equal((await demo.app.inject({ method: 'POST', url: '/api/v1/work/questions', payload: {} })).statusCode, 401);
  });
});
