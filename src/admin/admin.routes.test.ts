import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadActor } from '../auth/auth.plugin.ts';
import { buildApp } from '../web/app.ts';
import { apiClient, browser, csrfTokenIn, signedInBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { createUser } from '../users/user.repository.ts';
import { acceptedQuestion, auditActions, createWorld, uniqueTag, type World } from '../workflow/test-factories.ts';
import type { Actor } from '../auth/actor.ts';

let t: TestDatabase;
let app: FastifyInstance;
let world: World;
const clock = new Date('2026-11-25T12:00:00Z');

before(async () => {
  t = await createTestDatabase();
  world = await createWorld(t.db, clock);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
});
after(async () => {
  await app.close();
  await t.close();
});

/** A fresh account with a real password, as an actor. */
async function account(role: 'clerk' | 'approver' | 'admin' = 'clerk'): Promise<Actor> {
  const tag = uniqueTag();
  const created = await t.db.transaction().execute((trx) =>
    createUser(trx, { email: `${role}.${tag}@example.test`, displayName: `Test ${role} ${tag}`, role, password: 'amber lighthouse quarry 71' }, { id: null, label: 'test' }),
  );
  const actor = await loadActor(t.db, created.id);
  assert.ok(actor);
  return actor;
}

const userRow = (id: number) => t.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const userCount = async () => Number((await t.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const lastEvent = (id: number) =>
  t.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'user').where('record_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();

test('only admins get the admin pages and API: other roles 403, anonymous pages go to sign-in, anonymous API 401', async () => {
  const target = world.actors.clerk.userId;
  const pages = ['/admin/users', '/admin/users/new', `/admin/users/${target}`, '/admin/audit', `/admin/audit?type=user&id=${target}`];
  const posts = ['/admin/users/new', ...['role', 'details', 'disable', 'enable', 'reset-two-factor'].map((a) => `/admin/users/${target}/${a}`)];
  const apiGets = ['/api/v1/admin/users', `/api/v1/admin/users/${target}`, `/api/v1/admin/audit?type=user&id=${target}`];
  const apiPosts = ['/api/v1/admin/users', ...['role', 'disable', 'enable', 'reset-two-factor'].map((a) => `/api/v1/admin/users/${target}/${a}`)];
  const { member, staff, clerk, policeOfficer, approver, pressOfficer } = world.actors;
  for (const actor of [member, staff, clerk, policeOfficer, approver, pressOfficer]) {
    const b = await signedInBrowser(app, t.db, actor, clock);
    for (const url of pages) assert.equal((await b.get(url)).statusCode, 403, `${actor.role} GET ${url}`);
    const csrf = csrfTokenIn((await b.get('/account')).body);
    assert.ok(csrf, 'the account page has a form to take a CSRF token from');
    for (const url of posts) {
      const res = await b.post(url, { _csrf: csrf, role: 'admin', email: 'x@example.test', displayName: 'X', password: 'amber lighthouse quarry 71' });
      assert.equal(res.statusCode, 403, `${actor.role} POST ${url}`);
      assert.match(res.body, /does not have permission/);
    }
    const api = await apiClient(app, t.db, actor);
    for (const url of apiGets) assert.equal((await api.get(url)).statusCode, 403, `${actor.role} API GET ${url}`);
    for (const url of apiPosts) assert.equal((await api.send('POST', url, { role: 'admin' })).statusCode, 403, `${actor.role} API POST ${url}`);
  }
  const anonymous = browser(app);
  for (const url of pages) {
    const res = await anonymous.get(url);
    assert.equal(res.statusCode, 303, url);
    assert.equal(res.headers.location, `/sign-in?next=${encodeURIComponent(url)}`);
  }
  for (const url of apiGets) assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401, url);
  for (const url of apiPosts) {
    // Without a token a POST is a browser's, so the CSRF check refuses it before the role check can.
    const res = await app.inject({ method: 'POST', url, payload: {} });
    assert.ok([401, 403].includes(res.statusCode), `${url}: ${res.statusCode}`);
  }
  assert.equal((await userRow(target)).role, 'clerk', 'nothing was changed by the refused requests');
});

test('the account list shows every account with its role and tie, and filters by role', async () => {
  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const all = await admin.get('/admin/users');
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /href="\/admin\/users\/new"[^>]*>Add an account/);
  assert.match(all.body, new RegExp(world.actors.policeOfficer.email.replace(/\./g, '\\.')));
  assert.match(all.body, /Body: Wexbridge Police Service/);
  assert.match(all.body, /Acts for: Priya Okafor/);
  assert.match(all.body, /<caption class="govuk-table__caption govuk-table__caption--m">\d+ accounts<\/caption>/);
  const clerks = await admin.get('/admin/users?role=clerk');
  assert.equal(clerks.statusCode, 200);
  assert.match(clerks.body, new RegExp(world.actors.clerk.email.replace(/\./g, '\\.')));
  assert.doesNotMatch(clerks.body, new RegExp(world.actors.approver.email.replace(/\./g, '\\.')));
  assert.match(clerks.body, /with the role Clerk/);
  assert.equal((await admin.get('/admin/users?role=mayor')).statusCode, 400);

  const api = await apiClient(app, t.db, world.actors.admin);
  const listed = (await api.get('/api/v1/admin/users?role=officer')).json<{ users: { email: string; role: string; tiedTo: unknown; lastSignInAt: string | null }[] }>();
  assert.ok(listed.users.length >= 2);
  assert.ok(listed.users.every((u) => u.role === 'officer'));
  const police = listed.users.find((u) => u.email === world.actors.policeOfficer.email);
  assert.deepEqual(police?.tiedTo, { kind: 'body', slug: `police-${world.tag}`, name: 'Wexbridge Police Service' });
  assert.equal(JSON.stringify(listed).includes('password'), false, 'no password hash leaks');
  assert.equal(JSON.stringify(listed).includes('totp'), false, 'no two-factor secret leaks');
});

test('an admin adds an account in the browser: errors are shown and nothing is saved, then it is created and audited', async () => {
  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const form = await admin.get('/admin/users/new');
  assert.equal(form.statusCode, 200);
  for (const id of ['displayName', 'email', 'role', 'person', 'actingFor', 'body', 'password']) assert.match(form.body, new RegExp(`id="${id}"`), id);
  assert.match(form.body, /Only for the Officer role/);
  const users = await userCount();
  const email = `new.member.${uniqueTag()}@example.test`;
  const good = { displayName: 'Nia New', email, role: 'member', person: `other-member-${world.tag}`, actingFor: '', body: '', password: 'walnut orchard signal 58' };

  const badEmail = await admin.post('/admin/users/new', { ...good, email: 'not an email' }, '/admin/users/new');
  assert.equal(badEmail.statusCode, 400);
  assert.match(badEmail.body, /govuk-error-summary/);
  assert.match(badEmail.body, /href="#email">Enter an email address in the correct format/);
  assert.match(badEmail.body, /value="Nia New"/, 'what was typed is kept');
  assert.doesNotMatch(badEmail.body, /walnut orchard/, 'the password is never echoed');

  const noTie = await admin.post('/admin/users/new', { ...good, person: '' }, '/admin/users/new');
  assert.equal(noTie.statusCode, 400);
  assert.match(noTie.body, /href="#person">A member account needs the member it belongs to/);

  const weak = await admin.post('/admin/users/new', { ...good, password: 'password1' }, '/admin/users/new');
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /href="#password">Password is too common/);

  const taken = await admin.post('/admin/users/new', { ...good, email: world.actors.clerk.email }, '/admin/users/new');
  assert.equal(taken.statusCode, 409);
  assert.match(taken.body, /href="#email">An account with the email/);
  assert.equal(await userCount(), users, 'no refused form saved anything');

  const created = await admin.post('/admin/users/new', good, '/admin/users/new');
  assert.equal(created.statusCode, 303);
  const location = created.headers.location as string;
  const id = Number(/^\/admin\/users\/(\d+)$/.exec(location)?.[1]);
  const row = await userRow(id);
  assert.equal(row.email, email);
  assert.equal(row.role, 'member');
  assert.equal(row.person_id, world.otherMemberPersonId);
  assert.match(row.password_hash ?? '', /^\$argon2id\$/);
  const event = await lastEvent(id);
  assert.equal(event.action, 'user.created');
  assert.equal(event.actor_id, world.actors.admin.userId);
  assert.equal(event.to_state, 'member');
  const shown = await admin.get(location);
  assert.match(shown.body, /Account created for/);
  assert.match(shown.body, /Member: Gareth Lowe/);
  assert.match(shown.body, /user\.created/);
});

test('changing the role and tie writes an audit event with from and to, ends the old sessions, and a refusal changes nothing', async () => {
  const target = await account('clerk');
  const theirs = await signedInBrowser(app, t.db, target, clock);
  assert.equal((await theirs.get('/account')).statusCode, 200);
  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const page = `/admin/users/${target.userId}`;

  const refused = await admin.post(`${page}/role`, { role: 'officer', person: '', actingFor: '', body: '' }, page);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /href="#body">An officer account needs an answering body/);
  assert.equal((await userRow(target.userId)).role, 'clerk');
  assert.deepEqual(await auditActions(t.db, 'user', target.userId), ['user.created']);

  const changed = await admin.post(`${page}/role`, { role: 'officer', person: '', actingFor: '', body: `transport-${world.tag}` }, page);
  assert.equal(changed.statusCode, 303);
  assert.equal(changed.headers.location, page);
  const row = await userRow(target.userId);
  assert.equal(row.role, 'officer');
  assert.equal(row.organisation_id, world.transportId);
  const event = await lastEvent(target.userId);
  assert.equal(event.action, 'user.role_changed');
  assert.equal(event.actor_id, world.actors.admin.userId);
  assert.equal(event.actor_label, 'Ada Admin (admin)');
  assert.equal(event.from_state, 'clerk');
  assert.equal(event.to_state, 'officer');
  assert.deepEqual(event.details.from, { role: 'clerk' });
  assert.deepEqual(event.details.to, { role: 'officer', body: `transport-${world.tag}` });
  assert.equal((await theirs.get('/account')).statusCode, 303, 'the old session ended with the old role');

  const after = await admin.get(page);
  assert.match(after.body, /The role is now Officer/);
  assert.match(after.body, /Body: Transport for Wexbridge/);
  assert.match(after.body, /user\.role_changed/);

  const api = await apiClient(app, t.db, world.actors.admin);
  const viaApi = await api.send('POST', `/api/v1/admin/users/${target.userId}/role`, { role: 'staff', actingFor: `member-${world.tag}` });
  assert.equal(viaApi.statusCode, 200, viaApi.body);
  assert.deepEqual(viaApi.json<{ role: string; tiedTo: unknown }>().tiedTo, { kind: 'acting_for', slug: `member-${world.tag}`, name: 'Priya Okafor' });
  const badRole = await api.send('POST', `/api/v1/admin/users/${target.userId}/role`, { role: 'mayor' });
  assert.equal(badRole.statusCode, 400);
  assert.match(badRole.json<{ error: { fields: Record<string, string> } }>().error.fields.role ?? '', /Role must be one of/);
});

test('disabling ends the user’s sessions and API tokens for good; enabling does not bring them back', async () => {
  const target = await account('approver');
  const theirs = await signedInBrowser(app, t.db, target, clock);
  const theirApi = await apiClient(app, t.db, target);
  assert.equal((await theirs.get('/account')).statusCode, 200);
  assert.equal((await theirApi.get('/api/v1/me')).statusCode, 200);

  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const page = `/admin/users/${target.userId}`;
  const disabled = await admin.post(`${page}/disable`, {}, page);
  assert.equal(disabled.statusCode, 303);
  assert.notEqual((await userRow(target.userId)).disabled_at, null);
  const oldCookie = await theirs.get('/account');
  assert.equal(oldCookie.statusCode, 303);
  assert.match(oldCookie.headers.location as string, /^\/sign-in/);
  assert.equal((await theirApi.get('/api/v1/me')).statusCode, 401);
  const live = await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', target.userId).where('revoked_at', 'is', null).execute();
  assert.deepEqual(live, []);
  const tokens = await t.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', target.userId).execute();
  assert.ok(tokens.length > 0 && tokens.every((tk) => tk.revoked_at !== null));
  const event = await lastEvent(target.userId);
  assert.equal(event.action, 'user.disabled');
  assert.equal(event.from_state, 'active');
  assert.equal(event.to_state, 'disabled');
  assert.deepEqual(event.details, { sessionsRevoked: 1, tokensRevoked: 1 });

  const shown = await admin.get(page);
  assert.match(shown.body, /The account is disabled/);
  assert.match(shown.body, /Disabled since/);
  const again = await admin.post(`${page}/disable`, {}, page);
  assert.equal(again.statusCode, 409, 'disabling twice is refused');

  const enabled = await admin.post(`${page}/enable`, {}, page);
  assert.equal(enabled.statusCode, 303);
  assert.equal((await userRow(target.userId)).disabled_at, null);
  assert.equal((await theirs.get('/account')).statusCode, 303, 'the old session stays ended');
  assert.equal((await theirApi.get('/api/v1/me')).statusCode, 401, 'the old token stays revoked');
  assert.deepEqual((await auditActions(t.db, 'user', target.userId)).slice(-2), ['user.disabled', 'user.enabled']);

  const api = await apiClient(app, t.db, world.actors.admin);
  const viaApi = await api.send('POST', `/api/v1/admin/users/${target.userId}/disable`);
  assert.equal(viaApi.statusCode, 200);
  assert.equal(viaApi.json<{ disabled: boolean }>().disabled, true);
});

test('an admin cannot disable or demote themselves, in the browser or the API', async () => {
  const me = await account('admin');
  const b = await signedInBrowser(app, t.db, me, clock);
  const page = `/admin/users/${me.userId}`;
  const shown = await b.get(page);
  assert.match(shown.body, /you cannot disable it/);
  assert.doesNotMatch(shown.body, /action="\/admin\/users\/\d+\/disable"/);
  const disable = await b.post(`${page}/disable`, {}, page);
  assert.equal(disable.statusCode, 403);
  assert.match(disable.body, /href="#disable">You cannot disable your own account/);
  const demote = await b.post(`${page}/role`, { role: 'clerk' }, page);
  assert.equal(demote.statusCode, 403);
  assert.match(demote.body, /href="#role">You cannot remove your own admin role/);
  const row = await userRow(me.userId);
  assert.equal(row.role, 'admin');
  assert.equal(row.disabled_at, null);
  assert.deepEqual(await auditActions(t.db, 'user', me.userId), ['user.created']);
  const api = await apiClient(app, t.db, me);
  const viaApi = await api.send('POST', `/api/v1/admin/users/${me.userId}/disable`);
  assert.equal(viaApi.statusCode, 403);
  assert.match(viaApi.json<{ error: { message: string } }>().error.message, /cannot disable your own account/);
  assert.equal((await b.get(page)).statusCode, 200, 'still signed in');
});

test('resetting two-factor clears the authenticator and recovery codes and ends sessions', async () => {
  const target = await account('clerk');
  await t.db.updateTable('users').set({ totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled_at: clock }).where('id', '=', target.userId).execute();
  await t.db.insertInto('recovery_codes').values({ user_id: target.userId, code_hash: 'x' }).execute();
  const theirs = await signedInBrowser(app, t.db, target, clock);
  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const page = `/admin/users/${target.userId}`;
  assert.match((await admin.get(page)).body, /Enrolled/);
  const reset = await admin.post(`${page}/reset-two-factor`, {}, page);
  assert.equal(reset.statusCode, 303);
  const row = await userRow(target.userId);
  assert.equal(row.totp_secret, null);
  assert.equal(row.totp_enabled_at, null);
  const unused = await t.db.selectFrom('recovery_codes').select('id').where('user_id', '=', target.userId).where('used_at', 'is', null).execute();
  assert.deepEqual(unused, []);
  assert.equal((await theirs.get('/account')).statusCode, 303);
  const event = await lastEvent(target.userId);
  assert.equal(event.action, 'user.two_factor_reset');
  assert.equal(event.from_state, 'enrolled');
  assert.equal(event.to_state, 'not_enrolled');
});

test('the API creates accounts (201) and refuses bad ones with field messages', async () => {
  const api = await apiClient(app, t.db, world.actors.admin);
  const email = `api.officer.${uniqueTag()}@example.test`;
  const created = await api.send('POST', '/api/v1/admin/users', { email, displayName: 'Ola Officer', role: 'officer', body: `police-${world.tag}`, password: 'granite heron pocket 33' });
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'disabled', 'disabledAt', 'email', 'id', 'lastSignInAt', 'name', 'role', 'tiedTo', 'twoFactorEnrolled']);
  assert.equal(body.role, 'officer');
  const refused = await api.send('POST', '/api/v1/admin/users', { email: 'x@example.test', displayName: 'X', role: 'officer', body: 'no-such-body', password: 'granite heron pocket 33' });
  assert.equal(refused.statusCode, 400);
  assert.deepEqual(refused.json<{ error: { fields: unknown } }>().error.fields, { body: 'There is no answering body "no-such-body"' });
  assert.equal((await api.get('/api/v1/admin/users/999999')).statusCode, 404);
});

test('the audit page shows a question’s events, escaping what they carry', async () => {
  const { questionId } = await acceptedQuestion(t.db, world, { now: clock });
  await t.db
    .insertInto('audit_events')
    .values({ actor_label: '<b>script</b>', action: 'question.noted', record_type: 'question', record_id: questionId, details: JSON.stringify({ note: '<script>alert(1)</script>', n: { a: 1 } }) })
    .execute();
  const admin = await signedInBrowser(app, t.db, world.actors.admin, clock);
  const form = await admin.get('/admin/audit');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<select[^>]*id="type"/);
  const res = await admin.get(`/admin/audit?type=question&id=${questionId}`);
  assert.equal(res.statusCode, 200);
  for (const action of ['question.drafted', 'question.tabled', 'question.accepted', 'question.noted']) assert.match(res.body, new RegExp(action.replace('.', '\\.')));
  assert.match(res.body, /Events for Question \d+/);
  assert.match(res.body, /Priya Okafor \(member\)/);
  assert.match(res.body, /tabled/);
  assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!res.body.includes('<script>alert(1)'));
  assert.ok(!res.body.includes('<b>script</b>'));
  assert.ok(res.body.includes('{&quot;a&quot;:1}'));
  assert.ok(res.body.indexOf('question.drafted') < res.body.indexOf('question.accepted'), 'oldest first');

  const bad = await admin.get('/admin/audit?type=planet&id=abc');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /href="#type">Choose the kind of record/);
  assert.match(bad.body, /href="#id">Enter the record/);

  const userPage = await admin.get(`/admin/users/${world.actors.clerk.userId}`);
  assert.match(userPage.body, new RegExp(`href="/admin/audit\\?type=user&amp;id=${world.actors.clerk.userId}"`));

  const api = await apiClient(app, t.db, world.actors.admin);
  const json = (await api.get(`/api/v1/admin/audit?type=question&id=${questionId}`)).json<{ recordType: string; recordId: number; events: { action: string; fromState: string | null; toState: string | null; details: unknown }[] }>();
  assert.equal(json.recordType, 'question');
  assert.equal(json.recordId, questionId);
  assert.deepEqual(json.events.map((e) => e.action), ['question.drafted', 'question.tabled', 'question.accepted', 'question.noted']);
  assert.deepEqual(json.events[3]?.details, { note: '<script>alert(1)</script>', n: { a: 1 } });
  assert.equal((await api.get('/api/v1/admin/audit')).statusCode, 400);
});

test('the database refuses to update or delete audit events, from the app’s own connection', async () => {
  const row = await t.db
    .insertInto('audit_events')
    .values({ actor_label: 'test', action: 'user.noted', record_type: 'user', record_id: world.actors.clerk.userId, from_state: 'a', to_state: 'b', details: '{"k":"v"}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const read = () => t.db.selectFrom('audit_events').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  const before = await read();
  await assert.rejects(t.db.updateTable('audit_events').set({ action: 'user.forged', to_state: 'c' }).where('id', '=', row.id).execute(), /audit_events rows cannot be changed or deleted/);
  await assert.rejects(t.db.deleteFrom('audit_events').where('id', '=', row.id).execute(), /audit_events rows cannot be changed or deleted/);
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('audit_events').where('record_type', '=', 'user').execute();
    }),
    /cannot be changed or deleted/,
  );
  assert.deepEqual(await read(), before);
});
