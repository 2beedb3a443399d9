// Highlighted snippets made safe: ts_headline marks matches with private-use characters, split here into
// plain segments, so templates escape every piece of text and only wrap the highlighted ones in <mark>.

export const START_MARK = '\uE000';
export const STOP_MARK = '\uE001';

export interface SnippetSegment {
  text: string;
  highlighted: boolean;
}

/** Splits marked text into segments; stray or unbalanced markers are dropped, never shown. */
export function splitHighlights(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let highlighted = false;
  let current = '';
  const push = () => {
    if (current === '') return;
    const last = segments[segments.length - 1];
    if (last && last.highlighted === highlighted) last.text += current;
    else segments.push({ text: current, highlighted });
    current = '';
  };
  for (const ch of marked) {
    if (ch === START_MARK) {
      push();
      highlighted = true;
    } else if (ch === STOP_MARK) {
      push();
      highlighted = false;
    } else {
      current += ch;
    }
  }
  push();
  return segments;
}
