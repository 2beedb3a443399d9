// Turns validation failures into what GOV.UK forms show: an error summary linking to each field, and a message per field.
import type { z } from 'zod';
import { AppError, isAppError } from '../errors/app-error.ts';

export interface FormErrors {
  /** For govukErrorSummary: text and href per problem, in field order. */
  list: { text: string; href: string }[];
  /** For each field's errorMessage. */
  fields: Record<string, { text: string }>;
}

export function formErrors(fields: Record<string, string>): FormErrors {
  const entries = Object.entries(fields);
  return {
    list: entries.map(([field, text]) => ({ text, href: `#${field}` })),
    fields: Object.fromEntries(entries.map(([field, text]) => [field, { text }])),
  };
}

/** The per-field messages of a zod failure, first message per field. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Parses a form body, or throws a validation AppError with a message per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields = zodFieldErrors(result.error);
  throw new AppError('validation_failed', Object.values(fields)[0] ?? 'Check the form', { fields });
}

/** The field errors an AppError carries (or one form-level error), ready for a template. */
export function errorsFrom(error: unknown): FormErrors | null {
  if (!isAppError(error) || (error.code !== 'validation_failed' && error.code !== 'conflict' && error.code !== 'forbidden')) return null;
  return formErrors(error.fields && Object.keys(error.fields).length > 0 ? error.fields : { form: error.message });
}

/** A local path to return to after sign-in; anything else (other sites, protocol-relative URLs) becomes the default. */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : fallback;
}
