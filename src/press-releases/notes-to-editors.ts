// Drafts a release's notes to editors from its citations (pure): where each fact comes from, in the trade's words.
// The drafted text is the press officer's to edit; a line "[citation N]" stands for the Nth citation's block,
// which the page renders from the record in its place.

export interface CitationFacts {
  /** 1-based position in the release. */
  position: number;
  kind: 'written' | 'oral';
  askerName: string;
  /** The answerer's office as published, e.g. "Mayor of Wexbridge". */
  answererLabel: string;
  meetingTitle: string;
  /** The meeting's day, YYYY-MM-DD (the day an oral answer was given; the day a written question was asked). */
  meetingDate: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const CITATION_PLACEHOLDER = /^\[citation ([1-9][0-9]?)\]$/;

export function citationPlaceholder(position: number): string {
  return `[citation ${position}]`;
}

/** "17th", "1st", "22nd", "13th". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function parts(date: string): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(`${date}T00:00:00Z`);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** "Wednesday the 17th of June", with the year when it is not the year of `today`. */
export function spokenDate(date: string, today: string): string {
  const { year, month, day, weekday } = parts(date);
  const sameYear = year === parts(today).year;
  return `${WEEKDAYS[weekday]} the ${ordinal(day)} of ${MONTHS[month]}${sameYear ? '' : ` ${year}`}`;
}

/** "May", or "May 2009" when not this year. */
export function spokenMonth(date: string, today: string): string {
  const { year, month } = parts(date);
  return year === parts(today).year ? (MONTHS[month] ?? '') : `${MONTHS[month]} ${year}`;
}

/** "The Mayor" for "Mayor of Wexbridge"; "The Deputy Mayor for Policing" as it is. */
export function answererPhrase(label: string): string {
  const office = label.replace(/\s+of\s+.*$/i, '').trim() || 'Mayor';
  return `The ${office}`;
}

/** The drafted notes: one paragraph per citation, each followed by its block's placeholder. */
export function draftNotesToEditors(citations: readonly CitationFacts[], today: string): string {
  const paragraphs: string[] = [];
  citations.forEach((c, index) => {
    const also = index > 0 ? ' also' : '';
    const who = answererPhrase(c.answererLabel);
    if (c.kind === 'oral') {
      paragraphs.push(
        `${who}${also} gave the following oral answer to a question put by ${c.askerName} at ${c.meetingTitle} on ${spokenDate(c.meetingDate, today)}:`,
      );
    } else {
      // "previous" when an earlier-listed citation is later in time: the written answer came first.
      const previous = citations.slice(0, index).some((earlier) => earlier.meetingDate > c.meetingDate) ? 'a previous question' : 'a question';
      paragraphs.push(`${who}${also} gave the following written answer to ${previous}, asked in ${spokenMonth(c.meetingDate, today)}:`);
    }
    paragraphs.push(citationPlaceholder(c.position));
  });
  return paragraphs.join('\n\n');
}

export type NotesPart = { kind: 'text'; text: string } | { kind: 'citation'; position: number };

/** The stored notes split into paragraphs of text and citation placeholders, for the page to render. */
export function notesParts(notes: string): NotesPart[] {
  return notes
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): NotesPart => {
      const match = CITATION_PLACEHOLDER.exec(p);
      return match ? { kind: 'citation', position: Number(match[1]) } : { kind: 'text', text: p };
    });
}
