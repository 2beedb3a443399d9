// The calendar pages in a real browser: the clerk's form with its warning panel and error summary, the public
// calendar and the Mayor's report have no WCAG 2.2 AA violations axe can find, and scheduling works without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { currentTotp, newTotpSecret } from '../auth/totp.ts';
import { londonDateTime } from '../calendar/london-time.ts';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { hashPassword } from '../users/password-hash.ts';
import { createWorld, type World } from '../workflow/test-factories.ts';

const skip = browserUnavailable();
const now = londonDateTime('2027-03-01', '09:00');
let t: TestDatabase;
let w: World;
let app: FastifyInstance;
let running: RunningBrowser;
const secret = newTotpSecret();

before(async () => {
  if (skip) return;
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
  await t.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD), totp_secret: secret, totp_enabled_at: now }).where('id', '=', w.actors.clerk.userId).execute();
  running = await startBrowser(app);
});
after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await t.close();
});

const PASSWORD = 'correct horse battery staple 42';

/** A browser context signed in as the clerk through the real sign-in form and second factor. */
async function clerkContext(javaScriptEnabled: boolean) {
  const context = await running.browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${running.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(w.actors.clerk.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/sign-in\/two-factor/);
  await page.getByLabel('Security code').fill(currentTotp(secret, now));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/work\/clerk/);
  await page.close();
  return context;
}

test('schedule, warn, confirm and publish the report without JavaScript; every page passes axe', { skip }, async () => {
  const plain = await clerkContext(false);
  const page = await plain.newPage();
  const fill = async (day: string) => {
    await page.goto(`${running.baseUrl}/work/clerk/calendar/new`);
    await page.getByLabel('Day').first().fill(day);
    await page.getByLabel('Month').first().fill('6');
    await page.getByLabel('Year').first().fill('2027');
    await page.getByLabel('Place').fill('The Chamber, City Hall');
  };
  await fill('16');
  await page.getByRole('button', { name: 'Schedule the meeting' }).click();
  assert.match(page.url(), /\/work\/clerk\/calendar$/);
  assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /was scheduled/);

  await fill('30');
  await page.getByRole('button', { name: 'Schedule the meeting' }).click();
  assert.match((await page.locator('#schedule-warnings').textContent()) ?? '', /MQTs must be at least 28 days apart: the previous MQT is on Wednesday 16 June 2027, 14 days before/);
  await page.getByLabel('I have checked these warnings and want to schedule the meeting anyway').check();
  await page.getByRole('button', { name: 'Schedule the meeting' }).click();
  assert.match(page.url(), /\/work\/clerk\/calendar$/);
  await plain.close();

  const meeting = await t.db.selectFrom('meetings').select(['id', 'slug']).where('slug', '=', 'mqt-2027-06-16').executeTakeFirstOrThrow();
  const context = await clerkContext(true);
  const js = await context.newPage();
  const check = async (path: string, act?: () => Promise<void>) => {
    await js.goto(`${running.baseUrl}${path}`);
    if (act) await act();
    assert.equal(await js.locator('h1').count(), 1, `${path} has one h1`);
    assert.deepEqual(await accessibilityProblems(js), [], path);
  };
  await check('/work/clerk/calendar');
  await check('/work/clerk/calendar/new', async () => {
    // A warning and an error on the same page.
    await js.getByLabel('Day').first().fill('23');
    await js.getByLabel('Month').first().fill('6');
    await js.getByLabel('Year').first().fill('2027');
    await js.getByLabel('Place').fill('');
    await js.getByRole('button', { name: 'Schedule the meeting' }).click();
  });
  await check('/work/clerk/calendar/new', async () => {
    await js.getByLabel('Day').first().fill('23');
    await js.getByLabel('Month').first().fill('6');
    await js.getByLabel('Year').first().fill('2027');
    await js.getByLabel('Place').fill('Committee Room 4');
    await js.getByRole('button', { name: 'Schedule the meeting' }).click();
    assert.equal(await js.locator('#schedule-warnings li').count(), 2);
  });
  await check(`/work/clerk/calendar/${meeting.id}/edit`);
  await check(`/work/clerk/meetings/${meeting.id}/report`, async () => {
    await js.getByLabel('Text of the report').fill('The Mayor reports on the river plan.\n\nAnd on buses.');
    await js.getByRole('button', { name: 'Publish the report' }).click();
  });
  await context.close();

  const visitor = await running.browser.newContext();
  const pub = await visitor.newPage();
  for (const path of ['/calendar', `/meetings/${meeting.slug}/report`]) {
    const response = await pub.goto(`${running.baseUrl}${path}`);
    assert.equal(response?.status(), 200, path);
    assert.deepEqual(await accessibilityProblems(pub), [], path);
  }
  assert.match((await pub.locator('article').textContent()) ?? '', /The Mayor reports on the river plan\./);
  await visitor.close();
});
