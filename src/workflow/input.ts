// Validates command input with zod: cleaned text fields, ids, and one validation_failed error with a message per field.
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

export const TITLE_MAX = 300;
export const BODY_MAX = 20_000;
export const REASON_MAX = 2_000;

/**
 * Text as it should be stored: line endings made \n, control characters other than newline and tab removed
 * (NUL above all, which PostgreSQL text cannot hold, and the C1 range pasted from old word processors),
 * and surrounding whitespace trimmed. Markup is left alone: it is text, and escaped wherever it is shown.
 */
export function cleanText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
      .trim()
  );
}

/** A one-line title: as cleanText, with newlines and tabs (and runs of spaces) folded into single spaces. */
export function cleanTitle(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ');
}

/** Length as PostgreSQL counts it (characters, not UTF-16 units), so the limits here match the table's CHECKs. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function boundedText(clean: (value: string) => string, what: string, max: number) {
  return z
    .string({ error: `Enter ${what}` })
    .transform(clean)
    .refine((value) => value.length > 0, { message: `Enter ${what}` })
    .refine((value) => characterCount(value) <= max, { message: `${capitalise(what)} must be ${max.toLocaleString('en-GB')} characters or fewer` });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const titleText = () => boundedText(cleanTitle, 'a title', TITLE_MAX);
export const bodyText = (what = 'the text of the question') => boundedText(cleanText, what, BODY_MAX);
export const reasonText = (what: string) => boundedText(cleanText, what, REASON_MAX);

export const id = (what: string) =>
  z.number({ error: `Choose ${what}` }).int({ message: `Choose ${what}` }).positive({ message: `Choose ${what}` });

export const idList = (what: string) =>
  z
    .array(id(what), { error: `Choose ${what}` })
    .max(50, { message: `Choose at most 50 ${what}` })
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

/** Parses a command's input, or throws validation_failed with the first message for each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, about: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error.issues, about);
}

export function validationError(issues: readonly z.core.$ZodIssue[], about: string): AppError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || 'input';
    fields[key] ??= issue.message;
  }
  const list = Object.values(fields).join('; ');
  return new AppError('validation_failed', `${about} has a problem: ${list}.`, { fields });
}

/** A single-field validation failure found after parsing (an id that names nothing usable, say). */
export function fieldError(field: string, message: string, about: string): AppError {
  return new AppError('validation_failed', `${about} has a problem: ${message}.`, { fields: { [field]: message } });
}
