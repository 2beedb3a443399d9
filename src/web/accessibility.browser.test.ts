// The public pages in a real browser: they render, work without JavaScript, and have no WCAG 2.2 AA violations axe can find.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';

const skip = browserUnavailable();
let demo: DemoApp;
let running: RunningBrowser;

before(async () => {
  if (skip) return;
  demo = await createDemoApp();
  running = await startBrowser(demo.app);
});
after(async () => {
  if (skip) return;
  await running.close();
  await demo.close();
});

test('public pages pass axe (WCAG 2.2 AA) and render without JavaScript', { skip }, async () => {
  const question = await demo.t.db.selectFrom('questions').select(['reference_year', 'reference_number']).where('reference_number', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
  const member = await demo.t.db.selectFrom('people').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const meeting = await demo.t.db.selectFrom('meetings').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const paths = ['/', '/questions', '/questions?q=police', `/questions/${question.reference_year}/${question.reference_number}`, '/members', `/members/${member.slug}`, '/meetings', `/meetings/${meeting.slug}`, '/sign-in', '/no-such-page'];
  for (const javaScriptEnabled of [true, false]) {
    const context = await running.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    for (const path of paths) {
      const response = await page.goto(`${running.baseUrl}${path}`);
      assert.ok(response, `${path} loaded`);
      assert.equal(response.status(), path === '/no-such-page' ? 404 : 200, `${path} status`);
      assert.ok((await page.locator('h1').count()) === 1, `${path} has one h1`);
      // axe runs inside the page, so it needs JavaScript; without it the check is that every page still renders.
      if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], path);
    }
    await context.close();
  }
});
