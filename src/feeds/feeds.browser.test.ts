// The feeds as a reader finds them: each record page in Chromium announces its Atom feed in the head (the search page
// links its own), and the browser's own XML parser reads the feed it points to without error, entries and all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
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

/** Runs in the page (as a string: the project's TypeScript has no DOM types). */
const READ_FEED = (where: 'head' | 'body') => `(async () => {
  const link = document.querySelector(${where === 'head' ? `'head link[rel="alternate"][type="application/atom+xml"]'` : `'main a[href*="/feeds/"][href*=".atom"]'`});
  if (!link) return { href: null };
  const response = await fetch(link.href);
  const xml = new DOMParser().parseFromString(await response.text(), 'application/xml');
  const error = xml.getElementsByTagName('parsererror')[0];
  return {
    href: link.getAttribute('href'),
    type: response.headers.get('content-type'),
    error: error ? error.textContent : null,
    root: xml.documentElement.localName,
    entries: xml.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry').length,
  };
})()`;

interface FeedRead {
  href: string | null;
  type?: string;
  error?: string | null;
  root?: string;
  entries?: number;
}

test('record pages announce a feed that a browser parses as Atom', { skip }, async () => {
  const db = demo.t.db;
  const member = await db.selectFrom('people').innerJoin('questions', 'questions.asker_id', 'people.id').select('people.slug').where('questions.state', '=', 'accepted').orderBy('people.id').executeTakeFirstOrThrow();
  const group = await db.selectFrom('organisations').select('slug').where('classification', '=', 'party_group').orderBy('id').executeTakeFirstOrThrow();
  const body = await db.selectFrom('organisations').select('slug').where('classification', '=', 'functional_body').orderBy('id').executeTakeFirstOrThrow();
  const topic = await db.selectFrom('topics').select('slug').orderBy('id').executeTakeFirstOrThrow();
  const context = await running.browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const problems: string[] = [];
  // The search page links its feed in the page itself (a search's feed follows whatever was searched).
  const pages = [`/members/${member.slug}`, `/groups/${group.slug}`, `/bodies/${body.slug}`, `/topics/${topic.slug}`, '/search?q=police'];
  for (const path of pages) {
    await page.goto(`${running.baseUrl}${path}`);
    const read = await page.evaluate<FeedRead>(READ_FEED(path.startsWith('/search') ? 'body' : 'head'));
    if (!read.href) {
      problems.push(`${path}: no feed link in the head`);
      continue;
    }
    if (read.error) problems.push(`${path}: ${read.href} is not well-formed: ${read.error}`);
    if (read.root !== 'feed' || read.type !== 'application/atom+xml; charset=utf-8') problems.push(`${path}: ${read.href} is ${read.type} <${read.root}>`);
    if (!read.entries) problems.push(`${path}: ${read.href} has no entries`);
  }
  await context.close();
  assert.deepEqual(problems, []);
});
