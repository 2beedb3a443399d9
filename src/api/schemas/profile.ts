// The parts every record page's JSON shares (member, party group, answering body, topic): figures about their
// questions, a page of list items, and links onward.
import { z } from 'zod';
import { component, count, url } from './common.ts';
import { QuestionSummary } from './question.ts';

export const Promptness = component(
  'Promptness',
  z.object({
    total: count,
    answered: count,
    answeredOnTime: count,
    answeredLate: count,
    answeredWithoutDeadline: count,
    awaiting: count,
    overdueNow: count,
    holdingAnswersStanding: count,
    withdrawn: count,
    medianWorkingDaysToAnswer: z.number().nullable().describe('Working days from asking to the first substantive answer; null with no answers'),
  }),
  'How promptly the questions were answered',
);

export const profileFields = {
  questionsByYear: z.array(z.object({ year: z.number().int(), count })),
  promptness: Promptness,
  questions: z.array(QuestionSummary).describe('The latest questions, newest first; every question is at links.questions'),
};

export const RecordLinks = component(
  'RecordLinks',
  z.object({ questions: url.describe('Every question, through the search API'), search: url, feed: url.describe('Atom feed') }),
);

export const ListLinks = component(
  'ListLinks',
  z.object({ self: url, next: url.nullable().describe('The next page, or null on the last'), previous: url.nullable() }),
  'Pagination of a list (100 a page)',
);

/** A paged list of items: { items, links }. */
export const pageOfItems = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), links: ListLinks });
