// The composer form: its fields as typed, turned into command input, and command refusals turned back into the
// fields that caused them (so the GOV.UK error summary links to the right box).
import { isAppError } from '../errors/app-error.ts';
import { formText } from '../web/commands.ts';
import type { FormErrors } from '../web/forms.ts';
import { parseCitationLines } from './press-release.input.ts';

export const QUOTE_SLOTS = 3;

export interface ComposerValues {
  headline: string;
  body: string;
  author: string;
  quotes: { person: string; text: string }[];
  categories: string[];
  newCategories: string;
  citations: string;
  notesToEditors: string;
  citationSearch: string;
}

export type ComposerAction = 'save' | 'search' | 'add' | 'draft-notes';

export const FIELD_ORDER = ['author', 'headline', 'body', 'quote1Person', 'quote1Text', 'quote2Person', 'quote2Text', 'quote3Person', 'quote3Text', 'categories', 'newCategories', 'citations', 'notesToEditors'];

export function emptyComposer(): ComposerValues {
  return { headline: '', body: '', author: '', quotes: Array.from({ length: QUOTE_SLOTS }, () => ({ person: '', text: '' })), categories: [], newCategories: '', citations: '', notesToEditors: '', citationSearch: '' };
}

export function composerValues(body: unknown): ComposerValues {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (key: string) => formText(form[key]) ?? '';
  const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
  return {
    headline: text('headline'),
    body: text('body'),
    author: text('author'),
    quotes: Array.from({ length: QUOTE_SLOTS }, (_, i) => ({ person: text(`quote${i + 1}Person`), text: text(`quote${i + 1}Text`) })),
    categories: list(form.categories),
    newCategories: text('newCategories'),
    citations: text('citations'),
    notesToEditors: text('notesToEditors'),
    citationSearch: text('citationSearch'),
  };
}

export function composerAction(body: unknown): { action: ComposerAction; add?: string } {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof form.addCitation === 'string' && form.addCitation !== '') return { action: 'add', add: form.addCitation };
  if (form.action === 'search' || form.action === 'draft-notes') return { action: form.action };
  return { action: 'save' };
}

/** Command input from the form; `slots` maps each quote sent back to the box it came from. */
export function composerInput(values: ComposerValues, withAuthor: boolean) {
  const slots: number[] = [];
  const quotes: { person: string; text: string }[] = [];
  values.quotes.forEach((q, i) => {
    if (q.person.trim() === '' && q.text.trim() === '') return;
    slots.push(i + 1);
    quotes.push({ person: q.person, text: q.text });
  });
  const typed = values.newCategories
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    input: {
      headline: values.headline,
      body: values.body,
      ...(withAuthor && values.author !== '' ? { author: values.author } : {}),
      quotes,
      categories: [...values.categories, ...typed],
      citations: parseCitationLines(values.citations),
      notesToEditors: values.notesToEditors,
    },
    slots,
  };
}

/** The form's box for a command's field name ('quotes.1.person' is the second quote sent, 'citations.2' the third line). */
export function fieldOf(key: string, slots: readonly number[]): string {
  const [head, index, sub] = key.split('.');
  if (head === 'quotes') {
    const slot = slots[Number(index)] ?? 1;
    return sub === 'text' ? `quote${slot}Text` : `quote${slot}Person`;
  }
  if (head === 'categories') return 'newCategories';
  if (head === 'embargoDate' || head === 'embargoTime') return head;
  return FIELD_ORDER.includes(head ?? '') ? (head ?? 'form') : 'form';
}

/** A refusal as the error summary shows it (messages for one box joined), or null when it is not the user's to fix. */
export function composerErrors(error: unknown, slots: readonly number[] = [], order: readonly string[] = FIELD_ORDER): FormErrors | null {
  if (!isAppError(error) || !['validation_failed', 'conflict', 'forbidden'].includes(error.code)) return null;
  const fields: Record<string, string> = {};
  for (const [key, text] of Object.entries(error.fields ?? {})) {
    const field = fieldOf(key, slots);
    fields[field] = fields[field] ? `${fields[field]}. ${text}` : text;
  }
  if (Object.keys(fields).length === 0) fields.form = error.message;
  const rank = (key: string) => order.indexOf(key);
  const entries = Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b));
  return {
    list: entries.map(([field, text]) => (field === 'form' ? { text, href: '' } : { text, href: `#${field}` })),
    fields: Object.fromEntries(entries.map(([field, text]) => [field, { text }])),
  };
}
