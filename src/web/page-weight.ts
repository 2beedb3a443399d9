// What a first visit to a page costs, measured in Chromium with an empty cache: every response's bytes as
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// transferred (or as gzip would send them, where the server sent them uncompressed), web fonts, blocking scripts.
import zlib from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { NAME_SHIM } from './keyboard-probe.ts';

export const PAGE_BUDGET_BYTES = 100 * 1024;

export interface Resource {
  url: string;
  type: string;
  /** The Content-Encoding the server used, if any. */
  encoding: string | undefined;
  /** Body bytes on the wire. */
  transferred: number;
  /** Body bytes compressed: as transferred when the server compressed, else as gzip -6 would make them. */
  compressed: number;
}

export interface PageWeight {
  resources: Resource[];
  /** Sum of every response's compressed body. */
  total: number;
  fonts: string[];
  blockingScripts: string[];
}

const TEXT = /^(document|stylesheet|script|xhr|fetch|manifest|other)$/;

/** A page whose every load is a first visit: the browser cache is switched off for it (Chromium's DevTools protocol). */
export async function uncachedPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  await context.addInitScript(NAME_SHIM);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return { page, close: () => context.close() };
}

/** Loads the page (see uncachedPage) and totals what came over the network. */
export async function firstVisitWeight(page: Page, url: string): Promise<PageWeight> {
  const pending: Promise<Resource | undefined>[] = [];
  const listener = (request: Request) => {
    pending.push(
      (async (): Promise<Resource | undefined> => {
        const response = await request.response();
        if (!response) return undefined;
        const sizes = await request.sizes();
        const encoding = (await response.headerValue('content-encoding')) ?? undefined;
        const type = request.resourceType();
        const contentType = (await response.headerValue('content-type')) ?? '';
        let compressed = sizes.responseBodySize;
        if (!encoding && (TEXT.test(type) || /svg|json|xml|text|javascript/.test(contentType))) {
          compressed = Math.min(sizes.responseBodySize, zlib.gzipSync(await response.body(), { level: 6 }).length);
        }
        return { url: request.url(), type, encoding, transferred: sizes.responseBodySize, compressed };
      })().catch(() => undefined),
    );
  };
  page.on('requestfinished', listener);
  try {
    await page.goto(url, { waitUntil: 'load' });
    const blockingScripts = await page.evaluate(() => {
      const inBody = [...document.body.querySelectorAll('*')];
      // A classic script blocks the rendering of whatever follows it; at the very end of the body, nothing does.
      const blocks = (s: HTMLScriptElement) =>
        s.closest('head') !== null || inBody.slice(inBody.indexOf(s) + 1).some((el) => el.tagName !== 'SCRIPT');
      return [...document.querySelectorAll<HTMLScriptElement>('script[src]')]
        .filter((s) => s.type !== 'module' && !s.defer && !s.async && blocks(s))
        .map((s) => s.src);
    });
    const resources = (await Promise.all(pending)).filter((r): r is Resource => r !== undefined);
    return {
      resources,
      total: resources.reduce((sum, r) => sum + r.compressed, 0),
      fonts: resources.filter((r) => r.type === 'font' || /\.(woff2?|ttf|otf|eot)(\?|$)/i.test(r.url)).map((r) => r.url),
      blockingScripts,
    };
  } finally {
    page.off('requestfinished', listener);
  }
}
