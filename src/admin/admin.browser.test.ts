// The admin pages in a real browser, signed in as an admin: no WCAG 2.2 AA violations axe can find (on the plain
// pages and on a form showing its errors), and the same pages and form work with JavaScript turned off.
// axe runs only with JavaScript on: with it off, axe's evaluation never returns in this Chromium.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashSessionId } from '../auth/session-store.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { acceptedQuestion, createWorld, type World } from '../workflow/test-factories.ts';

const skip = browserUnavailable();
let t: TestDatabase;
let app: FastifyInstance;
let world: World;
let running: RunningBrowser;

before(async () => {
  if (skip) return;
  t = await createTestDatabase();
  world = await createWorld(t.db, new Date());
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' } });
  running = await startBrowser(app);
});
after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await t.close();
});

async function adminSessionCookie(): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const now = new Date();
  await t.db
    .insertInto('sessions')
    .values({ id_hash: hashSessionId(id), user_id: world.actors.admin.userId, pending_user_id: null, csrf_secret: '', flash: null, created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + 3_600_000) })
    .execute();
  return id;
}

test('admin pages pass axe (WCAG 2.2 AA), errors included, and work without JavaScript', { skip }, async () => {
  const { questionId } = await acceptedQuestion(t.db, world);
  const paths = ['/admin/users', '/admin/users?role=officer', '/admin/users/new', `/admin/users/${world.actors.policeOfficer.userId}`, `/admin/users/${world.actors.admin.userId}`, '/admin/audit', `/admin/audit?type=question&id=${questionId}`, '/admin/audit?type=&id=x'];
  for (const javaScriptEnabled of [true, false]) {
    const context = await running.browser.newContext({ javaScriptEnabled });
    await context.addCookies([{ name: SESSION_COOKIE, value: await adminSessionCookie(), domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    for (const path of paths) {
      const response = await page.goto(`${running.baseUrl}${path}`);
      assert.equal(response?.status(), path.endsWith('id=x') ? 400 : 200, path);
      assert.equal(await page.locator('h1').count(), 1, `${path} has one h1`);
      if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], path);
    }
    // A refused form, submitted by the browser itself (no JavaScript needed): the error summary and fields pass too.
    await page.goto(`${running.baseUrl}/admin/users/new`);
    await page.getByLabel('Name', { exact: true }).fill('Nobody');
    await page.getByRole('button', { name: 'Add account' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter an email address/);
    if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], 'refused new account form');
    await context.close();
  }
});
