// Real-browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser), against the app
// listening on a free localhost port. Tests skip with a message where /usr/bin/chromium is absent.
import fs from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return fs.existsSync(CHROMIUM_PATH) ? undefined : `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;
}

export interface RunningBrowser {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the app on a free port and a headless Chromium with the flags this machine's closed network needs. */
export async function startBrowser(app: FastifyInstance): Promise<RunningBrowser> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    // "localhost" is a secure context, so the Secure __Host- session cookie is kept over plain HTTP.
    baseUrl: `http://localhost:${port}`,
    async close() {
      // Playwright gives each launch a fresh, empty profile of its own and removes it on close.
      await browser.close();
    },
  };
}

/** WCAG 2.2 AA violations on the page, as readable lines (empty when there are none). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
