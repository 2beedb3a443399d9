import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../web/app.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { createUser } from '../users/user.repository.ts';
import { currentTotp } from './totp.ts';
import { SESSION_COOKIE } from './sessions.ts';

let t: TestDatabase;
let app: FastifyInstance;
let clock = new Date('2026-11-25T12:00:00Z');

before(async () => {
  t = await createTestDatabase();
  await t.db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values({ slug: 'test-assembly', name: 'Test Assembly', classification: 'assembly' }).execute();
    await trx.insertInto('people').values({ slug: 'ada-member', name: 'Ada Member' }).execute();
    await createUser(trx, { email: 'member@example.org', displayName: 'Ada Member', role: 'member', person: 'ada-member', password: 'violet harbour lantern 42' }, { id: null, label: 'test' });
    await createUser(trx, { email: 'clerk@example.org', displayName: 'Cleo Clerk', role: 'clerk', password: 'copper meadow kettle 97' }, { id: null, label: 'test' });
  });
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
});
after(async () => {
  await app.close();
  await t.close();
});

/** A browser: keeps cookies between requests and finds CSRF tokens in forms. */
function browser() {
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
    async get(url: string) {
      return remember(await app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
    },
    async post(url: string, form: Record<string, string>, fromPage?: string) {
      let csrf = form._csrf;
      if (csrf === undefined && fromPage) {
        const page = await this.get(fromPage);
        csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      }
      return remember(await app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...form, _csrf: csrf ?? '' }).toString() }));
    },
  };
}

test('a member signs in with email and password and gets a renewed, secure session cookie', async () => {
  const b = browser();
  await b.get('/sign-in');
  const before = b.jar.get(SESSION_COOKIE);
  assert.ok(before, 'the sign-in form starts a session for its CSRF token');
  const res = await b.post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42' }, '/sign-in');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/work/questions');
  const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
  assert.ok(set, 'a new session cookie is set');
  assert.notEqual(set.value, before, 'the session id is renewed at sign-in');
  assert.equal(set.secure, true);
  assert.equal(set.httpOnly, true);
  assert.equal(set.sameSite, 'Lax');
  assert.equal(set.path, '/');
  assert.equal(set.domain, undefined);
  const account = await b.get('/account');
  assert.equal(account.statusCode, 200);
  assert.match(account.body, /Ada Member/);
});

test('a wrong password and an unknown email get the same answer', async () => {
  const wrong = await browser().post('/sign-in', { email: 'member@example.org', password: 'not the password' }, '/sign-in');
  const unknown = await browser().post('/sign-in', { email: 'nobody@example.org', password: 'not the password' }, '/sign-in');
  assert.equal(wrong.statusCode, 400);
  assert.equal(unknown.statusCode, 400);
  const message = (body: string) => /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(body)?.[1];
  assert.equal(message(wrong.body), 'Enter a correct email address and password');
  assert.equal(message(unknown.body), message(wrong.body));
});

test('sign-in is refused without a CSRF token', async () => {
  const res = await browser().post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42', _csrf: '' });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /form has expired/);
});

test('sign-out really ends the session: the old cookie no longer works', async () => {
  const b = browser();
  await b.post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42' }, '/sign-in');
  const stolen = b.jar.get(SESSION_COOKIE)!;
  const out = await b.post('/sign-out', {}, '/account');
  assert.equal(out.statusCode, 303);
  const replay = await app.inject({ method: 'GET', url: '/account', headers: { cookie: `${SESSION_COOKIE}=${stolen}` } });
  assert.equal(replay.statusCode, 303);
  assert.match(replay.headers.location as string, /^\/sign-in/);
});

test('sessions end after 30 idle minutes and after 12 hours whatever happens', async () => {
  const b = browser();
  clock = new Date('2026-11-25T12:00:00Z');
  await b.post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42' }, '/sign-in');
  clock = new Date('2026-11-25T12:29:00Z');
  assert.equal((await b.get('/account')).statusCode, 200);
  clock = new Date('2026-11-25T13:00:00Z');
  assert.equal((await b.get('/account')).statusCode, 303, 'idle for 31 minutes');
  const c = browser();
  await c.post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42' }, '/sign-in');
  for (let minutes = 20; minutes <= 12 * 60 + 20; minutes += 20) {
    clock = new Date(new Date('2026-11-25T13:00:00Z').getTime() + minutes * 60_000);
    const res = await c.get('/account');
    if (minutes < 12 * 60) assert.equal(res.statusCode, 200, `still signed in after ${minutes} minutes of activity`);
    else assert.equal(res.statusCode, 303, `signed out after ${minutes} minutes`);
  }
  clock = new Date('2026-11-25T12:00:00Z');
});

test('staff must enrol in two-factor authentication, then use it to sign in; recovery codes work once', async () => {
  const b = browser();
  const first = await b.post('/sign-in', { email: 'clerk@example.org', password: 'copper meadow kettle 97' }, '/sign-in');
  assert.equal(first.statusCode, 303);
  assert.match(first.headers.location as string, /^\/account\/two-factor\/setup/);
  assert.equal((await b.get('/work/clerk')).statusCode, 303, 'not signed in until the second factor is done');
  const setup = await b.get('/account/two-factor/setup');
  assert.match(setup.body, /<svg/);
  const secret = (await t.db.selectFrom('users').select('totp_secret').where('email', '=', 'clerk@example.org').executeTakeFirstOrThrow()).totp_secret!;
  const bad = await b.post('/account/two-factor/setup', { code: '000000' }, '/account/two-factor/setup');
  assert.equal(bad.statusCode, 400);
  const done = await b.post('/account/two-factor/setup', { code: currentTotp(secret, clock) }, '/account/two-factor/setup');
  assert.equal(done.statusCode, 200);
  const codes = [...done.body.matchAll(/<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})<\/code>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  assert.equal((await b.get('/account')).statusCode, 200);

  const next = browser();
  const step1 = await next.post('/sign-in', { email: 'clerk@example.org', password: 'copper meadow kettle 97' }, '/sign-in');
  assert.match(step1.headers.location as string, /^\/sign-in\/two-factor/);
  const wrong = await next.post('/sign-in/two-factor', { code: '123456' }, '/sign-in/two-factor');
  assert.equal(wrong.statusCode, 400);
  const right = await next.post('/sign-in/two-factor', { code: codes[0]! }, '/sign-in/two-factor');
  assert.equal(right.statusCode, 303);
  assert.equal((await next.get('/account')).statusCode, 200);

  const again = browser();
  await again.post('/sign-in', { email: 'clerk@example.org', password: 'copper meadow kettle 97' }, '/sign-in');
  const reused = await again.post('/sign-in/two-factor', { code: codes[0]! }, '/sign-in/two-factor');
  assert.equal(reused.statusCode, 400, 'a recovery code works once');
  const totp = await again.post('/sign-in/two-factor', { code: currentTotp(secret, clock) }, '/sign-in/two-factor');
  assert.equal(totp.statusCode, 303);
});

test('API tokens are created in the browser, shown once, work as a bearer token, and stop working when revoked', async () => {
  const b = browser();
  await b.post('/sign-in', { email: 'member@example.org', password: 'violet harbour lantern 42' }, '/sign-in');
  const created = await b.post('/account/tokens', { name: 'Group spreadsheet' }, '/account/tokens');
  assert.equal(created.statusCode, 200);
  const token = /id="new-token">([^<]+)</.exec(created.body)?.[1];
  assert.ok(token?.startsWith('ans_'));
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json<{ email: string }>().email, 'member@example.org');
  assert.doesNotMatch((await b.get('/account/tokens')).body, new RegExp(token!), 'the token is not shown again');
  const row = await t.db.selectFrom('api_tokens').select(['id', 'token_hash']).executeTakeFirstOrThrow();
  assert.notEqual(row.token_hash, token);
  const revoke = await b.post(`/account/tokens/${row.id}/revoke`, {}, '/account/tokens');
  assert.equal(revoke.statusCode, 303);
  const after_ = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  assert.equal(after_.statusCode, 401);
  assert.equal(after_.json<{ error: { code: string } }>().error.code, 'unauthorised');
});

test('repeated failures lock the account for a while, with the same message for unknown emails', async () => {
  for (let i = 0; i < 5; i++) await browser().post('/sign-in', { email: 'locked@example.org', password: `wrong ${i}` }, '/sign-in');
  const res = await browser().post('/sign-in', { email: 'locked@example.org', password: 'whatever it is' }, '/sign-in');
  assert.equal(res.statusCode, 429);
  assert.match(res.body, /Too many attempts/);
});
