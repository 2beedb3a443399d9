// The order paper in a real browser: the clerk's page (with and without errors) and the public paper pass axe
// (WCAG 2.2 AA), and the clerk can reorder with the buttons and the position field with JavaScript turned off.
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
import { createWorld, run, type World } from '../workflow/test-factories.ts';
import { compileOrderPaper, publishOrderPaper } from './order-paper.commands.ts';
import { acceptedOral, partyGroup } from './order-paper.test-factories.ts';

const skip = browserUnavailable();
const now = new Date();
let t: TestDatabase;
let app: FastifyInstance;
let world: World;
let running: RunningBrowser;

before(async () => {
  if (skip) return;
  t = await createTestDatabase();
  world = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
  running = await startBrowser(app);
});
after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await t.close();
});

async function clerkSessionCookie(): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await t.db
    .insertInto('sessions')
    .values({ id_hash: hashSessionId(id), user_id: world.actors.clerk.userId, pending_user_id: null, csrf_secret: '', flash: null, created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + 3_600_000) })
    .execute();
  return id;
}

test('the clerk page and the public paper pass axe, and reordering works without JavaScript', { skip }, async () => {
  const group = await partyGroup(t.db, world, 'Alpha Group', 3);
  const ids: number[] = [];
  for (const [i, asker] of [group.members[0]!, world.actors.member, group.members[1]!].entries()) {
    ids.push((await acceptedOral(t.db, world, asker, new Date(now.getTime() + i * 60_000), `Question ${i + 1}`)).questionId);
  }
  const meetingId = world.meetings.future.id;
  await run(t.db, (trx) => compileOrderPaper(trx, world.actors.clerk, { meetingId }, { now }));
  const { slug } = await t.db.selectFrom('meetings').select('slug').where('id', '=', meetingId).executeTakeFirstOrThrow();
  const clerkPage = `${running.baseUrl}/work/clerk/meetings/${meetingId}/order-paper`;
  const positions = async () =>
    (await t.db.selectFrom('order_paper_entries').select('question_id').where('meeting_id', '=', meetingId).orderBy('position').execute()).map((e) => e.question_id);

  for (const javaScriptEnabled of [true, false]) {
    const context = await running.browser.newContext({ javaScriptEnabled });
    await context.addCookies([{ name: SESSION_COOKIE, value: await clerkSessionCookie(), domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    assert.equal((await page.goto(clerkPage))?.status(), 200);
    assert.equal(await page.locator('h1').count(), 1);
    if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], 'clerk order paper');

    // The second row's "Up" button, then the position field: plain form posts, redirected back with a message.
    const before = await positions();
    await page.locator('#order-paper tbody tr').nth(1).getByRole('button', { name: /^Up/ }).click();
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /moved from position 2 to position 1/);
    assert.deepEqual(await positions(), [before[1], before[0], before[2]]);
    await page.getByLabel('Question', { exact: true }).selectOption(String(before[1]));
    await page.getByLabel('New position').fill('2');
    await page.getByRole('button', { name: 'Move the question' }).click();
    assert.deepEqual(await positions(), before);

    // A refused move shows the error summary, linked to the field.
    await page.getByLabel('Question', { exact: true }).selectOption(String(before[0]));
    await page.getByLabel('New position').fill('9');
    await page.getByRole('button', { name: 'Move the question' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a position from 1 to 3/);
    if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], 'refused move');
    await context.close();
  }

  await run(t.db, (trx) => publishOrderPaper(trx, world.actors.clerk, { meetingId }, { now }));
  const context = await running.browser.newContext();
  const page = await context.newPage();
  assert.equal((await page.goto(`${running.baseUrl}/meetings/${slug}/order-paper`))?.status(), 200);
  assert.equal(await page.locator('#order-paper tbody tr').count(), ids.length);
  assert.deepEqual(await accessibilityProblems(page), [], 'public order paper');
  await context.close();
});
