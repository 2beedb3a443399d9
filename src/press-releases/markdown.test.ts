// A release's Markdown can never produce script, raw HTML or a link a browser would run, whatever is typed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderReleaseMarkdown } from './markdown.ts';

const ALLOWED_TAGS = new Set(['p', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'br', 'code', 'blockquote']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'class', 'start', 'title']);
const SAFE_HREF = /^(?:https?:\/\/|mailto:|\/(?![/\\]))/i;

/** Every problem with the HTML: a tag or attribute outside the allowed set, or an unsafe link. */
function problems(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const tag = (match[1] ?? '').toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) found.push(`tag <${tag}>`);
    for (const attr of (match[2] ?? '').matchAll(/([a-zA-Z-:]+)="([^"]*)"/g)) {
      const name = (attr[1] ?? '').toLowerCase();
      if (!ALLOWED_ATTRIBUTES.has(name)) found.push(`attribute ${name}`);
      if (name === 'href') {
        const href = (attr[2] ?? '').replace(/&amp;/g, '&');
        if (!SAFE_HREF.test(href)) found.push(`href ${href}`);
      }
    }
    // Anything left in the tag after its attributes is an attribute without quotes: never produced.
    const rest = (match[2] ?? '').replace(/([a-zA-Z-:]+)="([^"]*)"/g, '').trim();
    if (rest !== '' && rest !== '/') found.push(`stray "${rest}" in <${tag}>`);
  }
  if (/<script/i.test(html)) found.push('script');
  if (/javascript:/i.test(html.replace(/>[^<]*</g, '><'))) found.push('javascript: in markup');
  return found;
}

const hostilePieces = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD4=)',
  '[x](vbscript:msgbox)',
  '[x](//evil.example)',
  '![x](javascript:alert(1))',
  '<javascript:alert(1)>',
  '<https://ok.example>',
  '[ok](https://ok.example "title")',
  '[ok](/questions/2009/0001)',
  '<iframe src=//x>',
  '<svg onload=alert(1)>',
  '"><script>',
  '*emphasis* **strong** `code`',
  '- item\n- item',
  '> quote',
  '\n\n',
  '&lt;script&gt;',
  '<!-- comment -->',
  '<style>body{}</style>',
];

test('examples of hostile Markdown come out as text', () => {
  for (const piece of hostilePieces) assert.deepEqual(problems(renderReleaseMarkdown(piece)), [], piece);
  assert.match(renderReleaseMarkdown('<script>alert(1)</script>'), /&lt;script&gt;/);
  assert.match(renderReleaseMarkdown('[a link](https://example.org)'), /<a href="https:\/\/example.org" class="govuk-link">a link<\/a>/);
  assert.match(renderReleaseMarkdown('one\n\ntwo'), /<p class="govuk-body">one<\/p>\n<p class="govuk-body">two<\/p>/);
});

test('any mixture of hostile pieces and random text renders safely (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...hostilePieces), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })), { maxLength: 12 }), (parts) => {
      const html = renderReleaseMarkdown(parts.join(''));
      assert.deepEqual(problems(html), []);
    }),
    { numRuns: 800 },
  );
});
