// The public JSON shape of a press release, and what its pages show: every field listed by hand, so a new column
// never leaks. Citations are presented from the record (the cited answer version), never from stored text.
import type { CitationBlock } from './citations.ts';
import { renderReleaseMarkdown } from './markdown.ts';
import { notesParts } from './notes-to-editors.ts';
import type { ReleaseDetail, ReleaseSummary } from './press-release.queries.ts';

export const releasePath = (slug: string) => `/press-releases/${slug}`;

export function presentReleaseSummary(r: ReleaseSummary, publicUrl: string) {
  return {
    slug: r.slug,
    url: `${publicUrl}${releasePath(r.slug)}`,
    headline: r.headline,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    author: { slug: r.author.slug, name: r.author.name },
    partyGroup: r.group ? { slug: r.group.slug, name: r.group.name } : null,
    categories: r.categories.map((c) => ({ slug: c.slug, name: c.name })),
  };
}

export function presentCitation(c: CitationBlock, publicUrl: string) {
  return {
    position: c.position,
    kind: c.kind,
    question: {
      reference: c.reference,
      url: `${publicUrl}${c.questionUrl}`,
      title: c.questionTitle,
      text: c.questionText,
      askedBy: { slug: c.asker.slug, name: c.asker.name },
    },
    answer: {
      version: c.answerVersion,
      text: c.answerText,
      answeredBy: { name: c.answerer.name, role: c.answerer.label },
      publishedAt: c.answerPublishedAt.toISOString(),
    },
    meeting: c.kind === 'oral' ? { slug: c.meeting.slug, title: c.meeting.title, date: c.meeting.date } : null,
    correctedLater: c.correction ? { version: c.correction.version, publishedAt: c.correction.publishedAt.toISOString(), url: `${publicUrl}${c.correction.url}` } : null,
  };
}

export function presentRelease(r: ReleaseDetail, citations: readonly CitationBlock[], publicUrl: string) {
  return {
    ...presentReleaseSummary(r, publicUrl),
    body: r.bodyMarkdown,
    bodyHtml: renderReleaseMarkdown(r.bodyMarkdown),
    quotes: r.quotes.map((q) => ({ person: { slug: q.person.slug, name: q.person.name }, text: q.text })),
    notesToEditors: r.notesToEditors,
    citations: citations.map((c) => presentCitation(c, publicUrl)),
  };
}

/** The notes to editors as the page shows them: text paragraphs, and each "[citation N]" as that citation's block. */
export function notesView(notes: string, citations: readonly CitationBlock[]) {
  const placed = new Set<number>();
  const parts = notesParts(notes).map((part) => {
    if (part.kind === 'text') return part;
    const block = citations.find((c) => c.position === part.position);
    if (!block) return { kind: 'text' as const, text: `[citation ${part.position}]` };
    placed.add(block.position);
    return { kind: 'citation' as const, block };
  });
  // Citations the notes do not place are still shown, after them: a release never cites what it does not show.
  return { parts, unplaced: citations.filter((c) => !placed.has(c.position)) };
}

/** What a release page (public, or its author's preview) needs. */
export function releaseView(r: ReleaseDetail, citations: readonly CitationBlock[]) {
  return {
    ...r,
    // The one place this folder outputs HTML unescaped (`| safe` in release-body.njk): markdown-it with raw HTML off.
    bodyHtml: renderReleaseMarkdown(r.bodyMarkdown),
    notes: notesView(r.notesToEditors, citations),
    citations,
  };
}
