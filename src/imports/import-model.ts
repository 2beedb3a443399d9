// The format-independent shape every importer maps its records to, and the checks every record must pass (pure).
import { createHash } from 'node:crypto';
import sanitizeHtml from 'sanitize-html';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { parseReference, type ReferenceParts } from '../questions/reference.ts';

export const IMPORT_FORMATS = ['uk-parliament', 'popolo', 'csv', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Someone named by the source: matched by (source, sourceId); the name may be absent (Commons dumps give ids only). */
export interface PartyRef {
  source: string;
  sourceId: string;
  name: string | null;
}

export interface ImportAnswer {
  /** Stable within the question: the version's source identifier is `<question source id>:<key>`. */
  key: string;
  kind: 'holding' | 'substantive' | 'correction';
  body: string;
  publishedOn: string;
  answeredBy: PartyRef;
  label: string;
  /** For a correction: the key of the version it corrects. */
  corrects: string | null;
  correctionNote: string | null;
}

export interface ImportAttachment {
  title: string;
  url: string | null;
  fileType: string | null;
  sizeBytes: number | null;
}

export interface ImportQuestion {
  source: string;
  sourceId: string;
  sourceReference: string;
  reference: ReferenceParts;
  type: 'written' | 'oral';
  title: string;
  body: string;
  asker: PartyRef;
  answeringBody: PartyRef | null;
  askedOn: string;
  dueOn: string | null;
  namedDay: boolean;
  holdingAnsweredOn: string | null;
  withdrawnOn: string | null;
  withdrawalReason: string | null;
  answers: ImportAnswer[];
  grouped: string[];
  attachments: ImportAttachment[];
}

/** One record read from a file: its position in the source, and either a question or why it cannot be one. */
export type MappedRecord = { position: string; question: ImportQuestion } | { position: string; problem: string };

/** A record that cannot be imported, and where it is. */
export class RecordProblem extends Error {}

// C0 controls other than tab, line feed and carriage return, and DEL: never meaningful in the record's text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const SCRIPT = /<\s*(script|iframe|object|embed)\b|javascript\s*:|<[^>]*\son[a-z]+\s*=/i;

/**
 * Source text (plain or HTML) as the record's plain text: paragraphs, list items and table rows on lines of their
 * own, every tag removed by sanitize-html, entities decoded. The record renders text escaped, so text is the safe form.
 * Control characters and scripts are not cleaned away silently: the record is refused, naming the field.
 */
export function cleanText(value: unknown, field: string, options: { required: boolean; max: number }): string {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    if (options.required) throw new RecordProblem(`${field} is missing`);
    return '';
  }
  if (typeof value !== 'string') throw new RecordProblem(`${field} must be text`);
  if (CONTROL.test(value)) throw new RecordProblem(`${field} contains control characters`);
  if (SCRIPT.test(value)) throw new RecordProblem(`${field} contains a script`);
  let text = value;
  if (/[<&]/.test(value)) {
    const marked = value
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|table|ul|ol)\s*>/gi, '\n\n')
      .replace(/<\/t[dh]\s*>/gi, ' \t');
    text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {}, nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript'] })
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  }
  text = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text === '') {
    if (options.required) throw new RecordProblem(`${field} is empty once cleaned`);
    return '';
  }
  if (text.length > options.max) throw new RecordProblem(`${field} is longer than ${options.max} characters`);
  return text;
}

/** A calendar day from 'YYYY-MM-DD' or an ISO date-time ('2023-12-08T00:00:00'); null when absent. */
export function dayOf(value: unknown, field: string, required = false): string | null {
  if (value === null || value === undefined || value === '') {
    if (required) throw new RecordProblem(`${field} is missing`);
    return null;
  }
  const day = typeof value === 'string' ? value.slice(0, 10) : '';
  if (!isValidIsoDate(day) || (typeof value === 'string' && value.length > 10 && value[10] !== 'T' && value[10] !== ' ')) {
    throw new RecordProblem(`${field} is not a date (${JSON.stringify(value).slice(0, 40)})`);
  }
  return day;
}

export function idOf(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/.test(value)) return value;
  if (value === null || value === undefined || value === '') throw new RecordProblem(`${field} is missing`);
  throw new RecordProblem(`${field} is not an identifier`);
}

/** The reference a source number takes in our numbering: the year tabled and the source's number ('2023/6036'). */
export function referenceFor(sourceReference: string, askedOn: string): ReferenceParts {
  const parsed = parseReference(sourceReference);
  if (parsed) return parsed;
  if (!/^\d{1,6}$/.test(sourceReference) || Number(sourceReference) < 1) {
    throw new RecordProblem(`reference ${JSON.stringify(sourceReference)} is neither YYYY/NNNN nor a number`);
  }
  return { year: Number(askedOn.slice(0, 4)), number: Number(sourceReference) };
}

/** The contradictions no source may carry, whatever its format. */
export function checkQuestion(q: ImportQuestion): void {
  if (q.dueOn !== null && q.dueOn < q.askedOn) throw new RecordProblem(`due ${q.dueOn} before it was tabled (${q.askedOn})`);
  if (q.holdingAnsweredOn !== null && q.holdingAnsweredOn < q.askedOn) throw new RecordProblem(`holding answer ${q.holdingAnsweredOn} before it was tabled (${q.askedOn})`);
  const keys = new Set<string>();
  for (const answer of q.answers) {
    if (answer.publishedOn < q.askedOn) throw new RecordProblem(`answered ${answer.publishedOn} before it was tabled (${q.askedOn})`);
    if (keys.has(answer.key)) throw new RecordProblem(`two answers share the key ${answer.key}`);
    if (answer.kind === 'correction') {
      const original = q.answers.find((a) => a.key === answer.corrects);
      if (!original || !keys.has(original.key)) throw new RecordProblem('a correction with no original answer');
      if (answer.publishedOn < original.publishedOn) throw new RecordProblem(`corrected ${answer.publishedOn} before the answer it corrects (${original.publishedOn})`);
    }
    keys.add(answer.key);
  }
  if (q.withdrawnOn !== null && q.withdrawnOn < q.askedOn) throw new RecordProblem(`withdrawn ${q.withdrawnOn} before it was tabled (${q.askedOn})`);
}

/** The digest stored with an imported question: the same record imported again digests the same. */
export function digestOf(q: ImportQuestion): string {
  return createHash('sha256').update(JSON.stringify(q)).digest('base64url');
}

/** A slug for a person or organisation named by a source, unique per (source, id). */
export function slugFor(prefix: string, name: string | null, sourceId: string): string {
  const base = (name ?? prefix)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const id = sourceId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return [base || prefix, id].filter(Boolean).join('-');
}

/** Runs a mapping function, turning a RecordProblem into a skipped record with its position. */
export function mapRecord(position: string, map: () => ImportQuestion): MappedRecord {
  try {
    const question = map();
    checkQuestion(question);
    return { position, question };
  } catch (error) {
    if (error instanceof RecordProblem) return { position, problem: error.message };
    throw error;
  }
}
