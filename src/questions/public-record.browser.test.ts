// The public record in a real browser with JavaScript off: a corrected answer shows what changed between its
// versions; a follow-up links to the question it cites and that question lists it as "Followed up by"; a member
// page has its chart with the real data table. Each page is checked with axe (WCAG 2.2 AA) at 320 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { findReferencesInText, formatReference } from './reference.ts';

const skip = browserUnavailable();
let demo: DemoApp;
let running: RunningBrowser;
let context: BrowserContext;
let jsContext: BrowserContext;
/** JavaScript off: what every reader gets. */
let page: Page;
/** JavaScript on, only to run axe and measure the layout. */
let checker: Page;

before(async () => {
  if (skip) return;
  demo = await createDemoApp();
  running = await startBrowser(demo.app);
  context = await running.browser.newContext({ javaScriptEnabled: false });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  jsContext = await running.browser.newContext();
  checker = await jsContext.newPage();
  checker.setDefaultTimeout(15_000);
});

after(async () => {
  if (skip) return;
  await context.close();
  await jsContext.close();
  await running.close();
  await demo.close();
});

/**
 * Opens the page with JavaScript off; checks it with axe and for sideways scrolling at 320 px (the narrowest and
 * hardest; src/web/accessibility.browser.test.ts checks every page type at 1280 px as well).
 */
async function visitAndCheck(path: string) {
  const response = await page.goto(`${running.baseUrl}${path}`);
  assert.equal(response?.status(), 200, path);
  await checker.setViewportSize({ width: 320, height: 900 });
  await checker.goto(`${running.baseUrl}${path}`);
  assert.deepEqual(await accessibilityProblems(checker), [], `${path} at 320px`);
  const overflow = await checker.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
  assert.equal(overflow, false, `${path} scrolls sideways at 320px`);
}

test('a question with versions shows the visible difference, and a thread links both ways', { skip }, async () => {
  const corrected = await demo.t.db
    .selectFrom('answer_versions')
    .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
    .select(['questions.reference_year', 'questions.reference_number'])
    .where('answer_versions.kind', '=', 'correction')
    .executeTakeFirstOrThrow();
  const correctedPath = `/questions/${formatReference(corrected.reference_year!, corrected.reference_number!)}`;
  await visitAndCheck(correctedPath);
  const diff = page.getByTestId('correction-diff');
  assert.ok(await diff.isVisible(), 'the difference between versions is visible without JavaScript');
  assert.ok((await diff.locator('ins, del').count()) > 0);
  assert.ok((await page.getByText(/^Version 1, published/).count()) === 1);
  assert.ok((await page.getByText(/^Version 2, published/).count()) === 1);

  const citing = await demo.t.db
    .selectFrom('questions')
    .select(['reference_year', 'reference_number', 'body'])
    .where('body', 'like', '%question on the trafficking of women (%')
    .executeTakeFirstOrThrow();
  const citingRef = formatReference(citing.reference_year!, citing.reference_number!);
  const cited = findReferencesInText(citing.body)[0]!.reference;
  await visitAndCheck(`/questions/${citingRef}`);
  await page.getByRole('main').locator('p.govuk-body', { hasText: 'Further to your answer' }).getByRole('link', { name: cited }).click();
  assert.equal(new URL(page.url()).pathname, `/questions/${cited}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Trafficking of women');
  await visitAndCheck(`/questions/${cited}`);
  const followedUp = page.locator('#followed-up-by + ul');
  assert.ok(await followedUp.getByRole('link', { name: new RegExp(`^${citingRef}: `) }).isVisible(), 'the cited question lists the follow-up');
  assert.ok(await page.getByLabel('Citation to copy').isVisible());
  assert.match((await page.getByLabel('Citation to copy').inputValue()) ?? '', new RegExp(`^Question ${cited}, “Trafficking of women”`));
});

test('a member page has its chart with a real data table, terms and promptness', { skip }, async () => {
  await visitAndCheck('/members/owen-pritchard');
  const table = page.getByRole('table', { name: 'Questions by year' });
  assert.ok(await table.isVisible());
  assert.ok((await table.getByRole('row').count()) >= 2);
  assert.equal(await page.getByTestId('by-year-chart').getAttribute('aria-hidden'), 'true');
  assert.ok(await page.getByTestId('promptness').isVisible());
  assert.ok(await page.getByRole('link', { name: /Search all questions by Owen Pritchard/ }).isVisible());
});
