// Builds an Atom document from feed entries with the `feed` library. Entry titles and content are plain text from the
// record; the library marks them type="html", so they are HTML-escaped first and a reader shows them as typed.
// (The feed's title and author names are written as XML text by the library itself: only made XML-safe here.)
import { Feed } from 'feed';
import { questionPath } from '../questions/question.presenter.ts';
import { formatReference } from '../questions/reference.ts';
import type { FeedEntry } from './feed.queries.ts';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** Characters XML 1.0 cannot carry at all (even escaped) become spaces. */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ' ').replace(/[\uD800-\uDFFF]/g, (c, i: number, s: string) => {
    // Keep well-formed surrogate pairs; drop lone halves.
    const code = c.charCodeAt(0);
    if (code <= 0xdbff) return /[\uDC00-\uDFFF]/.test(s[i + 1] ?? '') ? c : ' ';
    return /[\uD800-\uDBFF]/.test(s[i - 1] ?? '') ? c : ' ';
  });
}

export function escapeHtml(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain text as HTML paragraphs (blank lines separate paragraphs; single newlines become line breaks). */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

const answerKinds = { holding: 'Holding answer', substantive: 'Answer', correction: 'Corrected answer' } as const;

export interface AtomOptions {
  publicUrl: string;
  siteName: string;
  title: string;
  /** The feed's own path, e.g. /feeds/answers.atom?x=y */
  selfPath: string;
  /** The HTML page the feed follows. */
  pagePath: string;
  now: Date;
}

export function atomDocument(entries: readonly FeedEntry[], options: AtomOptions): string {
  const selfUrl = `${options.publicUrl}${options.selfPath}`;
  const feed = new Feed({
    id: selfUrl,
    title: xmlSafe(`${options.title} – ${options.siteName}`),
    link: `${options.publicUrl}${options.pagePath}`,
    feedLinks: { atom: selfUrl },
    updated: entries[0]?.updated ?? options.now,
    copyright: '',
    generator: false,
    language: 'en-GB',
  });
  for (const entry of entries) {
    const reference = formatReference(entry.year, entry.number);
    const link = `${options.publicUrl}${questionPath(entry.year, entry.number)}`;
    const answer = entry.answer;
    const lead = answer
      ? `<p><strong>${answerKinds[answer.kind]}</strong> by ${escapeHtml(answer.answeredBy)} (${escapeHtml(answer.role)})</p>\n${paragraphs(answer.text)}`
      : `<p><strong>Question</strong> by ${escapeHtml(entry.askerName)}, awaiting an answer</p>`;
    feed.addItem({
      title: escapeHtml(`${reference}: ${entry.title}`),
      id: `${link}#${entry.key}`,
      link,
      date: entry.updated,
      content: `${lead}\n<h2>The question</h2>\n${paragraphs(entry.questionText)}`,
      author: [{ name: xmlSafe(entry.askerName), link: `${options.publicUrl}/members/${encodeURIComponent(entry.askerSlug)}` }],
    });
  }
  return feed.atom1();
}
