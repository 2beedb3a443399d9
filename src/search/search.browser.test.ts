// Search in a real browser: words with web-search syntax, facets ticked and applied, dates, sort and paging, with
// JavaScript off (a plain GET form) and on; the URL holds the whole search; axe finds nothing at 320 and 1280 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';

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

async function open(javaScriptEnabled: boolean, width = 1280): Promise<Page> {
  const context = await running.browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

for (const javaScriptEnabled of [false, true]) {
  test(`search with syntax and facets, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { skip, timeout: 180_000 }, async () => {
    const page = await open(javaScriptEnabled);
    try {
      await page.goto(`${running.baseUrl}/search`);
      await page.getByLabel('Search questions and answers').fill('"human trafficking" -ports OR police');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/search\?q=/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('q'), '"human trafficking" -ports OR police');
      const heading = await page.locator('#results-heading').innerText();
      const before = Number(/([\d,]+) questions? found/.exec(heading)?.[1]?.replace(/,/g, ''));
      assert.ok(before > 1, heading);
      assert.ok((await page.locator('mark').count()) > 0, 'matches are highlighted');

      // Tick the first member and the written type, then apply: the count narrows and the URL says why.
      const member = page.locator('input[name="member"]').first();
      const memberSlug = await member.getAttribute('value');
      await member.check();
      await page.locator('input[name="type"][value="written"]').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/member=/);
      const narrowed = new URL(page.url());
      assert.equal(narrowed.searchParams.get('member'), memberSlug);
      assert.equal(narrowed.searchParams.get('type'), 'written');
      assert.equal(narrowed.searchParams.get('q'), '"human trafficking" -ports OR police');
      const after = Number(/([\d,]+) questions? found/.exec(await page.locator('#results-heading').innerText())?.[1]?.replace(/,/g, '') ?? '0');
      assert.ok(after >= 1 && after <= before, `${after} of ${before}`);
      assert.ok(await page.locator(`input[name="member"][value="${memberSlug}"]`).isChecked());
      // axe needs scripts in the page, so it runs in the JavaScript-on pass (and at 320 px below, always on).
      if (javaScriptEnabled) assert.deepEqual(await accessibilityProblems(page), [], 'axe on the filtered search');

      // A shared link reproduces the search exactly.
      const again = await open(true, 320);
      await again.goto(page.url());
      assert.equal(await again.locator('#results-heading').innerText(), await page.locator('#results-heading').innerText());
      assert.deepEqual(await accessibilityProblems(again), [], 'axe at 320 px');
      const scrolls = await again.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      assert.equal(scrolls, false, 'no horizontal scrolling at 320 px');
      await again.context().close();
    } finally {
      await page.context().close();
    }
  });
}

test('dates, sort and paging from the form; a bad date is a clear page, not an error', { skip, timeout: 180_000 }, async () => {
  const page = await open(true);
  try {
    await page.goto(`${running.baseUrl}/search`);
    await page.getByLabel('Sort by').selectOption('oldest');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/sort=oldest/);
    const first = await page.locator('.app-search-results h3').first().innerText();
    await page.getByRole('link', { name: /Next/ }).click();
    await page.waitForURL(/page=2/);
    assert.notEqual(await page.locator('.app-search-results h3').first().innerText(), first);
    assert.match(page.url(), /sort=oldest/);
    const res = await page.goto(`${running.baseUrl}/search?from=2024-02-31`);
    assert.equal(res?.status(), 400);
    assert.match(await page.locator('body').innerText(), /From date must be a real date/);
    // The feed and downloads of this search are offered with the same parameters.
    await page.goto(`${running.baseUrl}/search?q=police&type=oral`);
    assert.equal(await page.getByRole('link', { name: 'Atom feed of this search' }).getAttribute('href'), '/feeds/search.atom?q=police&type=oral');
  } finally {
    await page.context().close();
  }
});
