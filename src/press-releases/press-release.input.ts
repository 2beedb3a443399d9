// What a press release is made of, as the composer and the API send it: validated with zod before any command runs.
// Citations are references to the record only; a citation that carries text of its own is refused (strict objects).
import { z } from 'zod';
import { cleanText, cleanTitle, characterCount } from '../workflow/input.ts';
import { markdownProblem } from './markdown.ts';

export const HEADLINE_MAX = 300;
export const RELEASE_BODY_MAX = 20_000;
export const NOTES_MAX = 20_000;
export const QUOTE_MAX = 5_000;
export const CATEGORY_MAX = 80;

const bounded = (clean: (v: string) => string, what: string, max: number, required = true) =>
  z
    .string({ error: `Enter ${what}` })
    .transform(clean)
    .refine((v) => !required || v.length > 0, { message: `Enter ${what}` })
    .refine((v) => characterCount(v) <= max, { message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer` });

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'Choose a member from the list' });

export const QuoteInput = z
  .object({
    person: slug,
    text: bounded(cleanText, 'the words of the quote', QUOTE_MAX),
  })
  .strict();

/** A citation names a question by reference, and optionally one of its published answer versions. Nothing else. */
export const CitationInput = z
  .object({
    reference: z.string({ error: 'Enter a question reference, like 2009/0123' }).trim().min(1, { message: 'Enter a question reference, like 2009/0123' }).max(20),
    version: z.number().int().positive({ message: 'An answer version is a whole number, 1 or more' }).max(1000).optional(),
  })
  .strict();

export const ReleaseInput = z
  .object({
    headline: bounded(cleanTitle, 'a headline', HEADLINE_MAX),
    body: bounded(cleanText, 'the body of the release', RELEASE_BODY_MAX).superRefine((value, ctx) => {
      const problem = markdownProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** The member the release is by (a press officer chooses; members and staff write as the member). */
    author: slug.optional(),
    quotes: z.array(QuoteInput).max(10, { message: 'A release can have at most 10 quotes' }).default([]),
    categories: z
      .array(bounded(cleanTitle, 'a category name', CATEGORY_MAX))
      .max(10, { message: 'Choose at most 10 categories' })
      .default([]),
    citations: z.array(CitationInput).max(20, { message: 'A release can cite at most 20 answers' }).default([]),
    /** Left out or blank: drafted from the citations. */
    notesToEditors: bounded(cleanText, 'the notes to editors', NOTES_MAX, false).optional(),
  })
  .strict();
export type ReleaseInput = z.output<typeof ReleaseInput>;

/** An update: any of the fields; those left out keep their value. */
export const ReleaseUpdate = ReleaseInput.partial().strict();
export type ReleaseUpdate = z.output<typeof ReleaseUpdate>;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the embargo date, like 2026-11-30' });
const clock = z.string().trim().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, { message: 'Enter the embargo time on the 24-hour clock, like 09:30' });

/** The embargo: a day and time on London's clocks. */
export const ScheduleInput = z.object({ embargoDate: isoDay, embargoTime: clock }).strict();
export type ScheduleInput = z.output<typeof ScheduleInput>;

export const UnpublishInput = z.object({ reason: bounded(cleanText, 'why the release is withdrawn', 2000, false).optional() }).strict();

/** A category's slug from its name. */
export function categorySlug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/g, '') || 'category'
  );
}

/** Parses the citations textarea: one per line, "2009/0123" or "2009/0123 version 2" (or "v2"). */
export function parseCitationLines(text: string): { reference: string; version?: number }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^(\S+)(?:\s+(?:version|v)\s*([0-9]{1,4}))?$/i.exec(line);
      if (!match) return { reference: line };
      return match[2] ? { reference: match[1] ?? line, version: Number(match[2]) } : { reference: match[1] ?? line };
    });
}

/** The citations as the textarea shows them. */
export function citationLines(citations: readonly { reference: string; version?: number | undefined }[]): string {
  return citations.map((c) => (c.version ? `${c.reference} version ${c.version}` : c.reference)).join('\n');
}
