// Keyboard checks for the accessibility suite: the skip link is the first stop and moves focus to the main content;
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// real Tab presses reach every visible control; each control looks different when focused (WCAG 2.4.1, 2.1.1, 2.4.7).
import type { Page } from 'playwright-core';

interface ProbeResult {
  total: number;
  unreached: string[];
  invisibleFocus: string[];
  firstStop: string;
}

declare global {
  interface Window {
    __focusProbe?: { seen: Set<number>; invisible: Set<number>; firstStop: string; order: number };
  }
}

/** esbuild's keepNames (tsx) wraps functions passed to page.evaluate in __name(), which pages do not define. */
export const NAME_SHIM = 'window.__name = window.__name || ((fn) => fn);';

/** Marks every visible, enabled control on the page and records, on each focus, whether its look changed. */
export async function installFocusProbe(page: Page): Promise<number> {
  await page.evaluate(NAME_SHIM);
  return page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
    const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (el) => !(el as HTMLButtonElement).disabled && !el.closest('[inert]') && el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true }),
    );
    // The focus indicator may be drawn on the element, its pseudo-elements, or (GOV.UK radios and checkboxes) the
    // pseudo-elements of the label that follows the visually hidden input.
    const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color', 'color', 'text-decoration-line', 'text-decoration-thickness', 'border-bottom-color', 'border-bottom-width'];
    const look = (el: HTMLElement): string => {
      const parts: Element[] = [el];
      const next = el.nextElementSibling;
      if (next?.tagName === 'LABEL') parts.push(next);
      return parts
        .flatMap((part) => [null, '::before', '::after'].map((pseudo) => getComputedStyle(part, pseudo)))
        .map((style) => props.map((p) => style.getPropertyValue(p)).join('|'))
        .join('/');
    };
    const index = new Map<Element, number>();
    const base: string[] = [];
    controls.forEach((el, i) => {
      index.set(el, i);
      el.setAttribute('data-focus-probe', String(i));
      base.push(look(el));
    });
    const probe = { seen: new Set<number>(), invisible: new Set<number>(), firstStop: '', order: 0 };
    window.__focusProbe = probe;
    document.addEventListener(
      'focusin',
      (event) => {
        const el = event.target as HTMLElement;
        probe.order += 1;
        if (probe.order === 1) probe.firstStop = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
        const i = index.get(el);
        if (i === undefined) return;
        probe.seen.add(i);
        if (look(el) === base[i]) probe.invisible.add(i);
      },
      true,
    );
    return controls.length;
  });
}

async function probeResult(page: Page): Promise<ProbeResult> {
  return page.evaluate(() => {
    const probe = window.__focusProbe;
    const controls = [...document.querySelectorAll<HTMLElement>('[data-focus-probe]')];
    const describe = (el: HTMLElement) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const name = el.getAttribute('name');
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${name ? `[name=${name}]` : ''}${text ? ` "${text}"` : ''}`;
    };
    if (!probe) return { total: controls.length, unreached: ['(the probe was not installed)'], invisibleFocus: [], firstStop: '' };
    // A group of radios is one Tab stop: the arrow keys move within it.
    const reachedRadioGroups = new Set(
      controls.filter((el, i) => probe.seen.has(i) && el instanceof HTMLInputElement && el.type === 'radio').map((el) => (el as HTMLInputElement).name),
    );
    const unreached = controls.filter((el, i) => {
      if (probe.seen.has(i)) return false;
      return !(el instanceof HTMLInputElement && el.type === 'radio' && reachedRadioGroups.has(el.name));
    });
    const invisibleFocus = controls.filter((_, i) => probe.invisible.has(i));
    for (const el of controls) el.removeAttribute('data-focus-probe');
    return { total: controls.length, unreached: unreached.map(describe), invisibleFocus: invisibleFocus.map(describe), firstStop: probe.firstStop };
  });
}

/** Tabs through the page from the top; problems as readable lines (empty when there are none). */
export async function keyboardProblems(page: Page): Promise<string[]> {
  const total = await page.evaluate(() => document.querySelectorAll('[data-focus-probe]').length);
  const problems: string[] = [];
  // Every control once, plus more while some are unreached: the browser also stops on things the probe does not
  // count (Chromium makes scrolling boxes focusable), and a control never reached after that is unreachable.
  let presses = total + 3;
  for (let round = 0; round < 3 && presses > 0; round++) {
    for (let i = 0; i < presses; i++) await page.keyboard.press('Tab');
    presses = await page.evaluate(() => {
      const probe = window.__focusProbe;
      return probe ? document.querySelectorAll('[data-focus-probe]').length - probe.seen.size : 0;
    });
    if (presses > 0) presses += 5;
  }
  const result = await probeResult(page);
  if (!result.firstStop.startsWith('a.govuk-skip-link')) problems.push(`the first Tab stop is ${result.firstStop || 'nothing'}, not the skip link`);
  if (result.unreached.length) problems.push(`not reachable with Tab: ${result.unreached.slice(0, 8).join(', ')}${result.unreached.length > 8 ? ` and ${result.unreached.length - 8} more` : ''}`);
  if (result.invisibleFocus.length) problems.push(`no visible focus indicator: ${result.invisibleFocus.slice(0, 8).join(', ')}${result.invisibleFocus.length > 8 ? ` and ${result.invisibleFocus.length - 8} more` : ''}`);
  // The skip link takes keyboard users past the header: focus lands on the main content.
  const skipLink = page.locator('a.govuk-skip-link').first();
  if ((await skipLink.count()) === 0) problems.push('there is no skip link');
  else {
    await skipLink.focus();
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : 'nothing';
    });
    if (focused !== 'main#main-content') problems.push(`the skip link moves focus to ${focused}, not main#main-content`);
  }
  return problems;
}
