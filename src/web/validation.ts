// Validates query strings and bodies with zod, turning failures into one 400 with a message per field.
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

export function parseQuery<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || 'query';
    fields[key] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([field, text]) => `${field}: ${text}`)
    .join('; ');
  throw new AppError('validation_failed', `The address has a problem. ${message}`, { fields });
}

/** Control characters (NUL above all, which PostgreSQL text cannot hold) become spaces; the rest is kept as typed. */
export function withoutControlCharacters(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
}

/** Free text from a query string: any string is valid input, trimmed, control characters removed, empty as absent. */
export const searchText = (max: number) =>
  z
    .string()
    .max(max, `Search text must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v === undefined ? undefined : withoutControlCharacters(v).trim() || undefined));
