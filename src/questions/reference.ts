// Question references (`2009/1234`): formatting, strict parsing, numbering, ordering, and finding citations in text.

export const REFERENCE_FIRST_YEAR = 1900;
export const REFERENCE_LAST_YEAR = 2200;
// Far beyond any real year's questions (London tables a few thousand), but keeps parsing bounded.
export const REFERENCE_MAX_NUMBER = 999_999;

export interface ReferenceParts {
  year: number;
  number: number;
}

export interface FoundReference extends ReferenceParts {
  /** Canonical form, e.g. `2008/0532`, whatever the spelling in the text. */
  reference: string;
  /** UTF-16 offset and length of the cited reference itself (not of "question" or "MQT" before it). */
  index: number;
  length: number;
}

function isValidParts(year: number, number: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(number) &&
    year >= REFERENCE_FIRST_YEAR &&
    year <= REFERENCE_LAST_YEAR &&
    number >= 1 &&
    number <= REFERENCE_MAX_NUMBER
  );
}

/** `2009/0001`, `2009/1234`, `2009/10000`: padded to four digits, longer once the year passes 9999 questions. */
export function formatReference(year: number, number: number): string {
  if (!isValidParts(year, number)) {
    throw new RangeError(
      `A question reference needs a year ${REFERENCE_FIRST_YEAR}-${REFERENCE_LAST_YEAR} and a number 1-${REFERENCE_MAX_NUMBER}; got ${year}/${number}`,
    );
  }
  return `${year}/${String(number).padStart(4, '0')}`;
}

// Exactly four padded digits, or five and more without a leading zero, so each reference has one spelling.
const CANONICAL = /^([0-9]{4})\/([0-9]{4}|[1-9][0-9]{4,5})$/;

/** Strict: only the canonical spelling `formatReference` produces; anything else is null. */
export function parseReference(text: string): ReferenceParts | null {
  const match = CANONICAL.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  return isValidParts(year, number) ? { year, number } : null;
}

/** The number to give the next accepted question of a year; `null` when none has been issued yet. */
export function nextReferenceNumber(lastIssued: number | null): number {
  if (lastIssued === null) return 1;
  if (!Number.isInteger(lastIssued) || lastIssued < 1) {
    throw new RangeError(`The last issued reference number must be a whole number, 1 or more; got ${lastIssued}`);
  }
  if (lastIssued >= REFERENCE_MAX_NUMBER) {
    throw new RangeError(`Reference numbers for the year are exhausted (last issued ${lastIssued})`);
  }
  return lastIssued + 1;
}

function toParts(reference: ReferenceParts | string): ReferenceParts {
  if (typeof reference !== 'string') return reference;
  const parts = parseReference(reference);
  if (!parts) throw new RangeError(`Not a question reference: ${JSON.stringify(reference)}`);
  return parts;
}

/** For sorting: by year, then number (so 2009/10000 comes after 2009/9999, unlike string order). */
export function compareReferences(a: ReferenceParts | string, b: ReferenceParts | string): number {
  const left = toParts(a);
  const right = toParts(b);
  return Math.sign(left.year - right.year || left.number - right.number);
}

// Not part of a longer token: no letter, digit or slash just before (so not inside 12/2009/1234 or a
// URL path), and no digit-then-dot/hyphen either (12.2009/1234, 31-2009/1234 read as dates).
const BEFORE = String.raw`(?<![\p{L}\p{N}_/])(?<!\p{N}[.\-])`;
// Nor followed by a letter, digit or slash (2009/12/31, 2009/1234/5) or a decimal part (2009/1234.5).
// A comma is fine: "2009/1234,2009/1235" is a list.
const AFTER = String.raw`(?![\p{L}\p{N}_/])(?![.][0-9])`;

// The current style, `2009/1234`, on its own or after "Further to", "MQ", "MQT" and the like.
const YEAR_FIRST = new RegExp(String.raw`${BEFORE}([0-9]{4})/([0-9]{4,6})${AFTER}`, 'gu');

// London's older style, number then year (`question 532/2008`). Only after a word that says it is a
// question, since a bare `12/2009` is far more often a month.
const NUMBER_FIRST = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(?:questions?|MQT?)(?:\s+(?:no\.?|number))?\s*[:#]?\s*${BEFORE}([0-9]{1,6})/([0-9]{4})${AFTER}`,
  'giu',
);

/**
 * Question references cited in free text, in order of appearance, so they can be turned into links.
 * Recognises `2009/1234` anywhere (and so "Further to 2009/1234", "MQT 2009/1234"), and the older
 * `532/2008` after "question"/"MQ"/"MQT", normalised to year 2008 number 532. Where both readings
 * fit (`question 2008/2009`) the current style wins. Candidates that are not valid references
 * (year out of range, number 0) are skipped.
 */
export function findReferencesInText(text: string): FoundReference[] {
  const found = new Map<number, FoundReference>();

  for (const match of text.matchAll(YEAR_FIRST)) {
    const [whole, yearText = '', numberText = ''] = match;
    const parts = parseReference(`${yearText}/${numberText}`);
    if (parts) found.set(match.index, { reference: formatReference(parts.year, parts.number), ...parts, index: match.index, length: whole.length });
  }

  for (const match of text.matchAll(NUMBER_FIRST)) {
    const [whole, numberText = '', yearText = ''] = match;
    const year = Number(yearText);
    const number = Number(numberText);
    const span = numberText.length + 1 + yearText.length;
    const index = match.index + whole.length - span;
    if (!isValidParts(year, number) || found.has(index)) continue;
    found.set(index, { reference: formatReference(year, number), year, number, index, length: span });
  }

  return [...found.values()].sort((a, b) => a.index - b.index);
}
