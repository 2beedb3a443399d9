// Building blocks shared by the open API's response schemas: errors, dates, references, links to people and places.
import { z } from 'zod';

/** Every component schema goes in here with its name, so the OpenAPI document can refer to it by $ref. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export function component<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  // describe() puts the description where z.toJSONSchema reads it (the global registry); it returns a copy.
  const described = description ? schema.describe(description) : schema;
  apiSchemas.add(described, description ? { id, description } : { id });
  return described;
}

export const isoDate = z.iso.date().describe('A calendar day, YYYY-MM-DD (London)');
export const instant = z.iso.datetime().describe('An instant, ISO 8601 in UTC');
export const url = z.url().describe('An absolute URL');
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('A stable, lower-case identifier used in URLs');
export const reference = z.string().regex(/^\d{4}\/\d{4,}$/).describe('The question reference, YYYY/NNNN');
export const count = z.number().int().min(0);

export const ApiError = component(
  'Error',
  z.object({
    error: z.object({
      code: z.string().describe('A stable, machine-readable code: not_found, validation_failed, method_not_allowed ...'),
      message: z.string().describe('What went wrong, in words a person can act on'),
      fields: z.record(z.string(), z.string()).optional().describe('For validation_failed: a message per query parameter'),
    }),
  }),
  'Every error, whatever the status',
);

export const PersonRef = component('PersonRef', z.object({ slug, name: z.string() }), 'A person: a member, the Mayor, an officer');
export const OrganisationRef = component('OrganisationRef', z.object({ slug, name: z.string() }), 'A party group or answering body');
export const TopicRef = component('TopicRef', z.object({ slug, name: z.string() }));

export const Speaker = component('TranscriptTurn', z.object({ speaker: PersonRef, text: z.string() }), 'One turn of speech in the transcript');

export const Supplementary = component(
  'Supplementary',
  z.object({ number: z.number().int().min(1), title: z.string(), asker: PersonRef, transcript: z.array(Speaker) }),
  'A supplementary question put at the meeting, with its exchange',
);
