// The accessibility suite: every page type of the site (src/testing/page-catalogue.ts), public and signed in for
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// each role, in one Chromium: axe-core with the WCAG 2.0-2.2 A and AA rules plus target-size at 1280 and 320 px,
// no horizontal scrolling at 320 px, a skip link first that moves focus to the main content, every control
// reachable with the Tab key and visibly focused; every page still renders without JavaScript; and a first visit
// to any public page is at most 100 KB compressed, with no web fonts and no render-blocking JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import axe, { type AxeResults } from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { UserRole } from '../db/schema.ts';
import { browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createDemoApp, type DemoApp } from '../testing/demo-app.ts';
import { pageCatalogue, sessionCookie, setUpWorkflow, type PageCase } from '../testing/page-catalogue.ts';
import { buildAssets } from './build-assets.ts';
import { firstVisitWeight, PAGE_BUDGET_BYTES, uncachedPage } from './page-weight.ts';
import { installFocusProbe, keyboardProblems, NAME_SHIM } from './keyboard-probe.ts';

const skip = browserUnavailable();
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 800 };
let demo: DemoApp;
let running: RunningBrowser;
let pages: PageCase[];
let missing: string[];

before(async () => {
  if (skip) return;
  // The suite needs the real stylesheet and scripts (npm test builds them first; a single run may not have).
  await buildAssets();
  demo = await createDemoApp();
  const ids = await setUpWorkflow(demo.t.db);
  ({ pages, missing } = await pageCatalogue(demo.t.db, ids));
  running = await startBrowser(demo.app);
});
after(async () => {
  if (skip) return;
  await running.close();
  await demo.close();
});

/** axe's WCAG 2.0, 2.1 and 2.2 A and AA rules, and target-size (2.5.8), which axe leaves off by default. */
interface AxeWindow {
  axe: { run(context: Document, options: typeof AXE_OPTIONS): Promise<AxeResults> };
}

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  rules: { 'target-size': { enabled: true } },
  resultTypes: ['violations'],
};

/**
 * axe-core's violations as readable lines. axe is loaded into every page by the context (an init script) and run
 * in the page itself: several times faster than AxeBuilder, which injects it and merges partial results per call.
 */
async function axeProblems(page: Page): Promise<string[]> {
  const violations = await page.evaluate(async (options) => {
    const results = await (window as unknown as AxeWindow).axe.run(document, options);
    return results.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, AXE_OPTIONS);
  return violations.map((v) => `${v.id}: ${v.help} at ${v.targets.slice(0, 5).join(', ')}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ''}`);
}

/** Elements wider than a 320 px screen, when the page scrolls sideways. */
async function horizontalScrollProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return [];
    const wide: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1 && box.width > 0 && !el.closest('.govuk-visually-hidden, .govuk-skip-link')) {
        // Report the outermost offenders only.
        if (!wide.some((w) => w === describe(el.parentElement))) wide.push(describe(el));
      }
      if (wide.length >= 5) break;
    }
    return [`scrolls sideways (${root.scrollWidth}px wide in ${root.clientWidth}px): ${wide.join(', ')}`];
    function describe(el: Element | null): string {
      if (!el) return '';
      const cls = [...el.classList].slice(0, 2).join('.');
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls ? `.${cls}` : ''}`;
    }
  });
}

async function contextFor(role: UserRole | undefined): Promise<BrowserContext> {
  const context = await running.browser.newContext({ viewport: WIDE });
  // tsx compiles with esbuild's keepNames, which wraps functions passed to page.evaluate in __name(): define it.
  await context.addInitScript(NAME_SHIM);
  await context.addInitScript(axe.source);
  if (role) await context.addCookies([await sessionCookie(demo.t.db, role)]);
  return context;
}

/** Pages grouped by who is signed in, so each role gets one browser context. */
function byRole(list: PageCase[]): Map<UserRole | undefined, PageCase[]> {
  const groups = new Map<UserRole | undefined, PageCase[]>();
  for (const p of list) groups.set(p.role, [...(groups.get(p.role) ?? []), p]);
  return groups;
}

test('every page type in the catalogue has demo data to show', { skip }, () => {
  assert.deepEqual(missing, []);
});

test('every page type passes axe at 1280 and 320 px, fits 320 px, and works from the keyboard', { skip }, async () => {
  const problems: string[] = [];
  for (const [role, list] of byRole(pages)) {
    const context = await contextFor(role);
    const page = await context.newPage();
    for (const p of list) {
      const where = `${p.name} (${p.path}${role ? ` as ${role}` : ''})`;
      await page.setViewportSize(WIDE);
      const response = await page.goto(`${running.baseUrl}${p.path}`);
      const status = response?.status();
      if (status !== (p.status ?? 200)) {
        problems.push(`${where}: status ${status ?? 'none'}, expected ${p.status ?? 200}`);
        continue;
      }
      if (page.url() !== `${running.baseUrl}${p.path}`) problems.push(`${where}: redirected to ${page.url()}`);
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) problems.push(`${where}: ${h1} h1 elements`);
      for (const line of await axeProblems(page)) problems.push(`${where} at 1280px: ${line}`);
      await installFocusProbe(page);
      for (const line of await keyboardProblems(page)) problems.push(`${where}: ${line}`);
      await page.setViewportSize(NARROW);
      // Let resize observers (the table regions in application.js) run before measuring.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      for (const line of await horizontalScrollProblems(page)) problems.push(`${where} at 320px: ${line}`);
      for (const line of await axeProblems(page)) problems.push(`${where} at 320px: ${line}`);
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('every page renders without JavaScript', { skip }, async () => {
  // Without JavaScript the page is exactly the HTML the server sends: fetch it as a browser would (no scripts run).
  const problems: string[] = [];
  for (const [role, list] of byRole(pages)) {
    const cookie = role ? await sessionCookie(demo.t.db, role) : undefined;
    const headers: Record<string, string> = { accept: 'text/html', ...(cookie ? { cookie: `${cookie.name}=${cookie.value}` } : {}) };
    for (const p of list) {
      const response = await fetch(`${running.baseUrl}${p.path}`, { headers, redirect: 'manual' });
      const html = await response.text();
      if (response.status !== (p.status ?? 200)) problems.push(`${p.name}: status ${response.status}`);
      else if ((html.match(/<h1[\s>]/g) ?? []).length !== 1) problems.push(`${p.name}: no single h1 in the HTML`);
      else if (!html.includes('id="main-content"')) problems.push(`${p.name}: no main content`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a first visit to any public page type is at most 100 KB compressed, with no web fonts or blocking scripts', { skip }, async () => {
  const problems: string[] = [];
  const report: string[] = [];
  const { page, close } = await uncachedPage(running.browser);
  for (const p of pages.filter((entry) => !entry.role)) {
    const weight = await firstVisitWeight(page, `${running.baseUrl}${p.path}`);
    report.push(`${p.name}: ${(weight.total / 1024).toFixed(1)} KB in ${weight.resources.length} responses`);
    if (weight.total > PAGE_BUDGET_BYTES) {
      const parts = weight.resources.map((r) => `${new URL(r.url).pathname} ${(r.compressed / 1024).toFixed(1)} KB`).join(', ');
      problems.push(`${p.name}: ${(weight.total / 1024).toFixed(1)} KB compressed (${parts}), over the ${PAGE_BUDGET_BYTES / 1024} KB budget`);
    }
    for (const font of weight.fonts) problems.push(`${p.name}: requests a web font ${font}`);
    for (const script of weight.blockingScripts) problems.push(`${p.name}: render-blocking script ${script}`);
  }
  await close();
  if (process.env.PAGE_WEIGHT_REPORT) console.log(report.join('\n'));
  assert.deepEqual(problems, []);
});

test('pages, stylesheets and scripts are served compressed', { skip }, async () => {
  const { page, close } = await uncachedPage(running.browser);
  const weight = await firstVisitWeight(page, `${running.baseUrl}/`);
  await close();
  const uncompressed = weight.resources.filter((r) => /^(document|stylesheet|script)$/.test(r.type) && r.encoding !== 'br' && r.encoding !== 'gzip');
  assert.deepEqual(uncompressed.map((r) => `${r.type} ${new URL(r.url).pathname} sent without compression`), []);
});
