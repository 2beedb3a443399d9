// Response schemas for members' press releases: the list, one release with its citations of the record, and the
// 410 a withdrawn release leaves behind.
import { z } from 'zod';
import { component, count, instant, isoDate, OrganisationRef, PersonRef, reference, slug, url } from './common.ts';

const summaryFields = {
  slug,
  url,
  headline: z.string(),
  publishedAt: instant.nullable(),
  author: PersonRef,
  partyGroup: OrganisationRef.nullable(),
  categories: z.array(z.object({ slug, name: z.string() })),
};

export const PressReleaseSummary = component('PressReleaseSummary', z.object(summaryFields));

export const PressReleaseList = component(
  'PressReleaseList',
  z.object({ items: z.array(PressReleaseSummary), total: count, links: z.object({ self: url, next: url.nullable() }) }),
  'Published press releases, newest first',
);

export const Citation = component(
  'Citation',
  z.object({
    position: z.number().int().min(1),
    kind: z.enum(['written', 'oral']),
    question: z.object({ reference, url, title: z.string(), text: z.string(), askedBy: PersonRef }),
    answer: z.object({ version: z.number().int().min(1), text: z.string(), answeredBy: z.object({ name: z.string(), role: z.string() }), publishedAt: instant }),
    meeting: z.object({ slug, title: z.string(), date: isoDate }).nullable(),
    correctedLater: z.object({ version: z.number().int().min(1), publishedAt: instant, url }).nullable(),
  }),
  'A question and answer cited by a press release, taken from the record itself',
);

export const PressRelease = component(
  'PressRelease',
  z.object({
    ...summaryFields,
    body: z.string().describe('Markdown'),
    bodyHtml: z.string().describe('The body rendered to HTML (raw HTML in the Markdown is not passed through)'),
    quotes: z.array(z.object({ person: PersonRef, text: z.string() })),
    notesToEditors: z.string(),
    citations: z.array(Citation),
  }),
  'A press release with its quotes and citations',
);

export const PressReleaseGone = component(
  'PressReleaseGone',
  z.object({
    error: z.object({ code: z.literal('gone'), message: z.string() }),
    slug,
    headline: z.string(),
    unpublishedAt: instant.nullable(),
  }),
  'A withdrawn press release: 410 Gone, with what it was',
);
