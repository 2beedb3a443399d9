// The difference between two published answer versions, word by word, so a reader sees what a correction changed.
import { diffWordsWithSpace } from 'diff';

export interface ChangePart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Words removed from `before` and added in `after`, in reading order; joining same+added gives `after` back. */
export function answerChanges(before: string, after: string): ChangePart[] {
  const parts: ChangePart[] = [];
  // Whitespace is diffed as tokens too: plain diffWords drops a trailing space the versions differ by, and the
  // record must be rebuilt from the parts exactly.
  for (const change of diffWordsWithSpace(before, after)) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return parts;
}
