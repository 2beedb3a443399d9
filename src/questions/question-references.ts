// Follow-up threading in text: cut any text into plain segments and cited references, so a page links only the
// references (each segment is escaped by the template; no HTML is ever built from the text).
import { findReferencesInText } from './reference.ts';

export type TextSegment =
  | { kind: 'text'; text: string }
  /** `text` is the reference exactly as written (e.g. `532/2008`); `reference` is its canonical form. */
  | { kind: 'reference'; text: string; reference: string; year: number; number: number };

/**
 * The text as segments in reading order; joining every segment's `text` gives the input back exactly.
 * With `linkable`, only references in that set (canonical forms) become reference segments; the rest stay text.
 */
export function segmentReferences(text: string, linkable?: ReadonlySet<string>): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  const pushText = (value: string) => {
    if (value === '') return;
    const last = segments.at(-1);
    if (last?.kind === 'text') last.text += value;
    else segments.push({ kind: 'text', text: value });
  };
  for (const found of findReferencesInText(text)) {
    if (found.index < at) continue;
    if (linkable && !linkable.has(found.reference)) continue;
    pushText(text.slice(at, found.index));
    segments.push({ kind: 'reference', text: text.slice(found.index, found.index + found.length), reference: found.reference, year: found.year, number: found.number });
    at = found.index + found.length;
  }
  pushText(text.slice(at));
  return segments;
}

/** Paragraphs as the `paragraphs` view filter makes them (split on blank lines, trimmed), each as segments. */
export function linkedParagraphs(text: string, linkable: ReadonlySet<string>): TextSegment[][] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => segmentReferences(p, linkable));
}

/** Every distinct reference cited in any of the texts, canonical, in first-seen order. */
export function citedReferences(texts: readonly string[]): { reference: string; year: number; number: number }[] {
  const seen = new Map<string, { reference: string; year: number; number: number }>();
  for (const text of texts) {
    for (const f of findReferencesInText(text)) if (!seen.has(f.reference)) seen.set(f.reference, { reference: f.reference, year: f.year, number: f.number });
  }
  return [...seen.values()];
}
