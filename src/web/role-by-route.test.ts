// Every route the app serves, with every method, tried by every role and by an anonymous visitor: a role outside
// a route's intended permissions is always refused (and changes nothing); the intended roles get through.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { UserRole } from '../db/schema.ts';
import { apiClient, browser, csrfTokenIn, signedInBrowser, type TestApiClient, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { allocateQuestion } from '../workflow/executive.commands.ts';
import { acceptedQuestion, createWorld, draftAnswer, run, snapshot, type World } from '../workflow/test-factories.ts';
import { createRelease } from '../press-releases/press-release.commands.ts';
import { buildApp } from './app.ts';

type Who = UserRole | 'anonymous';
const EVERYONE: readonly Who[] = ['anonymous', 'member', 'staff', 'press_officer', 'clerk', 'officer', 'approver', 'admin'];
const SIGNED_IN: readonly Who[] = EVERYONE.filter((w) => w !== 'anonymous');

/** The intended permissions, written out by hand from the issue and DOMAIN.md "Who uses it". */
function intended(method: string, url: string): readonly Who[] {
  if (/^\/api\/v1\/work\/questions\/:id\/(accept|reject|clerk-edit|move)$/.test(url)) return ['clerk'];
  if (/\/meetings\/:id\/report$/.test(url) && (url.startsWith('/api/v1/work/') || url.startsWith('/work/clerk/'))) return ['clerk', 'approver'];
  if (url.startsWith('/api/v1/work/meetings')) return ['clerk'];
  // Admins may read the executive's work; only the Mayor's office and officers change it.
  const executive: readonly Who[] = method === 'GET' ? ['approver', 'officer', 'admin'] : ['approver', 'officer'];
  if (/^\/api\/v1\/work\/questions\/:id\/(workflow|allocate|transfer|drafts)$/.test(url)) return executive;
  if (url.startsWith('/api/v1/work/drafts/') || url.startsWith('/api/v1/work/answers/')) return executive;
  if (url.startsWith('/api/v1/work/clerk/')) return ['clerk'];
  if (url.startsWith('/api/v1/work/questions') || url === '/api/v1/work/similar') return ['member', 'staff'];
  if (url.startsWith('/work/questions')) return ['member', 'staff'];
  if (url.startsWith('/work/clerk')) return ['clerk'];
  if (/^\/work\/answers\/drafts\/:id\/edit$/.test(url)) return ['approver', 'officer'];
  if (url.startsWith('/work/answers')) return executive;
  if (url.startsWith('/admin') || url.startsWith('/api/v1/admin')) return ['admin'];
  if (url.startsWith('/account') || url === '/api/v1/me') return SIGNED_IN;
  // Members, their staff and party press officers write press releases (DOMAIN.md "Who uses it").
  if (url.startsWith('/work/press-releases') || url.startsWith('/api/v1/work/press-releases')) return ['member', 'staff', 'press_officer'];
  if (url.startsWith('/api/v1/work') || url.startsWith('/work')) throw new Error(`no permission written down for ${method} ${url}`);
  // Everything else is the public record, sign-in and sign-out.
  return EVERYONE;
}

let t: TestDatabase;
let app: FastifyInstance;
let world: World;
let ids: Record<string, string>;
const sessions = new Map<Who, { browser: TestBrowser; csrf: string }>();
const tokens = new Map<Who, TestApiClient>();

before(async () => {
  t = await createTestDatabase();
  const now = new Date();
  world = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' } });
  const { questionId, reference } = await acceptedQuestion(t.db, world);
  await run(t.db, (trx) => allocateQuestion(trx, world.actors.approver, { questionId, answeringBodyId: world.policeId, officerId: world.actors.policeOfficer.userId }));
  const draftId = await draftAnswer(t.db, world, questionId, { until: 'submitted' });
  const release = await run(t.db, (trx) => createRelease(trx, world.actors.member, { headline: 'Role test release', body: 'Body.' }));
  const [year, number] = reference.split('/');
  const member = await t.db.selectFrom('people').select('slug').where('id', '=', world.memberPersonId).executeTakeFirstOrThrow();
  const meeting = await t.db.selectFrom('meetings').select('slug').where('id', '=', world.meetings.future.id).executeTakeFirstOrThrow();
  ids = {
    question: String(questionId),
    draft: String(draftId),
    meeting: String(world.meetings.held.id),
    meetingSlug: meeting.slug,
    memberSlug: member.slug,
    user: String(world.actors.member.userId),
    year: year!,
    number: String(Number(number)),
    pressRelease: String(release.releaseId),
    pressReleaseSlug: release.slug,
  };
  const actors: Record<Exclude<Who, 'anonymous'>, Actor> = {
    member: world.actors.member,
    staff: world.actors.staff,
    press_officer: world.actors.pressOfficer,
    clerk: world.actors.clerk,
    officer: world.actors.policeOfficer,
    approver: world.actors.approver,
    admin: world.actors.admin,
  };
  const anonymous = browser(app);
  sessions.set('anonymous', { browser: anonymous, csrf: csrfTokenIn((await anonymous.get('/sign-in')).body) });
  for (const [role, actor] of Object.entries(actors) as [Exclude<Who, 'anonymous'>, Actor][]) {
    const b = await signedInBrowser(app, t.db, actor, now);
    const account = await b.get('/account');
    assert.equal(account.statusCode, 200, `${role} is signed in`);
    sessions.set(role, { browser: b, csrf: csrfTokenIn(account.body) });
    tokens.set(role, await apiClient(app, t.db, actor));
  }
});

after(async () => {
  await app.close();
  await t.close();
});

function concrete(url: string): string {
  return url
    .replace(/\/press-releases\/:id/, `/press-releases/${ids.pressRelease}`)
    .replace(/\/press-releases\/:slug/, `/press-releases/${ids.pressReleaseSlug}`)
    .replace(/\/drafts\/:id/, `/drafts/${ids.draft}`)
    .replace(/\/meetings\/:id/, `/meetings/${ids.meeting}`)
    .replace(/\/users\/:id/, `/users/${ids.user}`)
    .replace(/\/questions\/:id/, `/questions/${ids.question}`)
    .replace(/\/meetings\/:slug/, `/meetings/${ids.meetingSlug}`)
    .replace(/\/members\/:slug/, `/members/${ids.memberSlug}`)
    .replace(':year', ids.year!)
    .replace(':number', ids.number!)
    .replace(/:[A-Za-z]+/g, '1')
    .replace('*', 'application.css');
}

async function attempt(who: Who, method: string, url: string): Promise<LightMyRequestResponse> {
  if (url.startsWith('/api/')) {
    const client = tokens.get(who);
    if (!client) return app.inject({ method: method as 'GET', url, headers: { accept: 'application/json', 'content-type': 'application/json' }, payload: method === 'GET' ? undefined : '{}' });
    return method === 'GET' ? client.get(url) : client.send(method as 'POST', url, {});
  }
  const session = sessions.get(who)!;
  return method === 'GET' ? session.browser.get(url) : session.browser.post(url, { _csrf: session.csrf });
}

function refused(who: Who, method: string, url: string, res: LightMyRequestResponse): boolean {
  if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 404) return true;
  return who === 'anonymous' && res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in');
}

test('every route refuses every role outside its permissions, and changes nothing when it does', async () => {
  const routes = app.routeList.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  assert.ok(routes.length > 50, `found ${routes.length} routes`);
  const before = await snapshot(t.db);
  const users = JSON.stringify(await t.db.selectFrom('users').selectAll().orderBy('id').execute());
  const problems: string[] = [];
  let refusals = 0;
  for (const route of routes) {
    const allowed = intended(route.method, route.url);
    for (const who of EVERYONE) {
      if (allowed.includes(who)) continue;
      const url = concrete(route.url);
      const res = await attempt(who, route.method, url);
      if (!refused(who, route.method, url, res)) problems.push(`${who} ${route.method} ${url} → ${res.statusCode}`);
      else refusals++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(refusals > 200, `${refusals} refusals checked`);
  assert.deepEqual(await snapshot(t.db), before, 'a refused request changed the workflow tables');
  assert.equal(JSON.stringify(await t.db.selectFrom('users').selectAll().orderBy('id').execute()), users, 'a refused request changed an account');
});

test('the intended roles get through to every page and API read they are meant to have', async () => {
  const problems: string[] = [];
  for (const route of app.routeList.filter((r) => r.method === 'GET')) {
    for (const who of intended(route.method, route.url)) {
      if (who === 'anonymous' && intended(route.method, route.url) !== EVERYONE) continue;
      const url = concrete(route.url);
      const res = await attempt(who, 'GET', url);
      // Some GETs need an id the role can act on (an officer and a draft of another body): 404/409 is a refusal
      // about the record, not the role. What must never happen is a role refusal for an intended role.
      if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) problems.push(`${who} GET ${url} → ${res.statusCode}`);
    }
  }
  assert.deepEqual(problems, []);
});
