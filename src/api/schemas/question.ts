// Response schemas for questions: the summary used in every list, the full question, and the search results.
import { z } from 'zod';
import { PUBLIC_STATUSES } from '../../questions/public-status.ts';
import { component, count, instant, isoDate, OrganisationRef, PersonRef, reference, slug, Speaker, Supplementary, TopicRef, url } from './common.ts';

export const questionType = z.enum(['written', 'oral']).describe('written: answered in writing; oral: put at the meeting');
export const publicStatus = z.enum(PUBLIC_STATUSES);
export const lateness = z.enum(['not_yet_due', 'on_time', 'overdue', 'very_overdue']);

/** The status fields every question carries (flattened into the question, as the presenters do). */
const statusFields = {
  status: publicStatus,
  label: z.string().describe('The status in words, e.g. "Answered late"'),
  lateness: lateness.nullable().describe('Against the statutory deadline; null when there is nothing to measure'),
  workingDaysLate: count,
  holdingForWorkingDays: count.nullable().describe('Working days since a holding answer, while it is the latest word'),
};

export const QuestionSummary = component(
  'QuestionSummary',
  z.object({
    reference,
    url,
    title: z.string(),
    type: questionType,
    notReached: z.boolean().describe('An oral question the meeting did not reach: answered in writing instead'),
    asker: PersonRef,
    meeting: z.object({ slug, date: isoDate }).nullable().describe('Null for a question imported from a system without meetings'),
    tabledOn: isoDate.nullable(),
    askedOn: isoDate.nullable(),
    dueOn: isoDate.nullable().describe('The statutory deadline for a written answer'),
    ...statusFields,
  }),
  'A question as lists show it',
);

export const AnswerKind = z.enum(['holding', 'substantive', 'correction']);
export const Delivery = z.enum(['written', 'oral']);

export const AnswerVersion = component(
  'AnswerVersion',
  z.object({
    version: z.number().int().min(1),
    kind: AnswerKind,
    delivery: Delivery,
    text: z.string(),
    answeredBy: z.object({ slug, name: z.string(), role: z.string() }),
    publishedAt: instant,
    corrects: z.number().int().nullable().describe('For a correction: the version it corrects'),
    correctionNote: z.string().nullable(),
    changes: z
      .array(z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() }))
      .nullable()
      .describe('For a correction: what it changed, word by word (same + added rebuilds it)'),
  }),
  'One published version of an answer; published versions never change',
);

export const ThreadLink = component('QuestionLink', z.object({ reference, title: z.string(), url }), 'Another question, linked');

export const Question = component(
  'Question',
  z.object({
    reference,
    url,
    title: z.string(),
    text: z.string(),
    type: questionType,
    notReached: z.boolean(),
    asker: z.object({ slug, name: z.string(), partyGroup: OrganisationRef.nullable().describe('On the day the question was asked') }),
    askedOf: z.string().nullable(),
    answeringBody: OrganisationRef.nullable().describe('Shown once the question has an answer'),
    meeting: z.object({ slug, title: z.string(), date: isoDate }).nullable().describe('Null for a question imported from a system without meetings'),
    tabledOn: isoDate.nullable(),
    askedOn: isoDate.nullable(),
    dueOn: isoDate.nullable(),
    withdrawnOn: isoDate.nullable(),
    ...statusFields,
    topics: z.array(TopicRef),
    answers: z.array(AnswerVersion).describe('Every published version, oldest first'),
    transcript: z.array(Speaker).describe('The oral exchange at the meeting'),
    supplementaries: z.array(Supplementary),
    deadline: z.object({
      dueOn: isoDate.nullable(),
      met: z.boolean().nullable().describe('Null while it cannot be said (not yet due, no deadline, withdrawn)'),
      workingDaysLate: count,
      text: z.string().describe('The deadline and whether it was met, in words'),
    }),
    timeline: z.array(
      z.object({
        event: z.enum(['tabled', 'accepted', 'asked', 'not_reached', 'holding_answer', 'answered', 'corrected', 'withdrawn']),
        on: isoDate,
        label: z.string(),
        version: z.number().int().nullable().describe('The answer version the event refers to'),
      }),
    ).describe('What happened to the question, oldest first'),
    followsUp: z.array(ThreadLink).describe('Questions this one follows up: the one it was marked as following, then those its text cites'),
    followedUpBy: z.array(ThreadLink),
    citedInAnswersTo: z.array(ThreadLink).describe('Questions whose answers cite this one'),
    related: z.array(ThreadLink),
    citation: z.string().describe('"Cite this": reference, title, date and permanent URL'),
  }),
  'A question with its answer versions, exchange, timeline and follow-up thread',
);

const facet = z.array(z.object({ value: z.string(), label: z.string(), count, selected: z.boolean() }));

export const SearchFacets = component(
  'SearchFacets',
  z.object({ member: facet, group: facet, body: facet, meeting: facet, type: facet, status: facet, year: facet, topic: facet }),
  'Counts under the current search for each filter value; pass a value back as that query parameter',
);

export const QuestionList = component(
  'QuestionList',
  z.object({
    items: z.array(
      z.object({
        ...QuestionSummary.shape,
        snippet: z.array(z.object({ text: z.string(), highlighted: z.boolean() })).describe('Where the text matched: highlighted parts matched the search'),
      }),
    ),
    total: count,
    totalIsEstimate: z.boolean().describe('True when total is an estimate (above 10,000)'),
    page: z.number().int().min(1),
    pageCount: count,
    facets: SearchFacets,
    links: z.object({ self: url, next: url.nullable().describe('The next page, or null on the last'), prev: url.nullable() }),
  }),
  'A page of questions matching a search, with facet counts',
);
