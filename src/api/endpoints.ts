// The open API's public endpoints, described once: the OpenAPI document, the /api docs page and the contract tests
// are all generated from this list. A new public GET /api/v1 route must be added here (the contract test says so).
import { z } from 'zod';
import { ApiError, component } from './schemas/common.ts';
import { Body, BodyList } from './schemas/body.ts';
import { Group, GroupList } from './schemas/group.ts';
import { Member, MemberList } from './schemas/member.ts';
import { Topic, TopicList } from './schemas/topic.ts';
import { AgendaPaper, AnswersPaper, Calendar, MayorsReport, Meeting, MeetingList, OrderPaper, QuestionsPaper, TranscriptPaper } from './schemas/meeting.ts';
import { PressRelease, PressReleaseGone, PressReleaseList } from './schemas/press-release.ts';
import { Question, QuestionList } from './schemas/question.ts';

export interface Parameter {
  name: string;
  description: string;
  /** The parameter's values, as JSON Schema types go: string, integer, a date, an enum ... */
  schema: z.ZodType;
  example?: string;
  /** May be given more than once (?member=a&member=b). */
  repeatable?: boolean;
}

export interface Endpoint {
  /** Fastify's pattern, exactly as registered: /api/v1/questions/:year/:number */
  route: string;
  tag: string;
  operationId: string;
  summary: string;
  description: string;
  pathParams?: Parameter[];
  query?: Parameter[];
  /** A registered component schema (schemas/*.ts). */
  response: z.ZodType;
  /** The error statuses the endpoint can answer with besides 405 (every endpoint can give 400 for a bad query). */
  errors: (400 | 404)[];
  /** A 410 Gone with its own body (a withdrawn press release). */
  gone?: z.ZodType;
}

const slugParam = (what: string, example: string): Parameter => ({ name: 'slug', description: `The ${what}'s identifier, as in its page's URL`, schema: z.string(), example });
const meetingSlug = slugParam('meeting', 'mqt-2026-11-24');

const isoDay = z.iso.date();

const OpenApiDocument = component(
  'OpenApiDocument',
  z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
  'An OpenAPI 3.1 document',
);

/** Every filter the search page has (src/search), so an API client can ask anything a reader can. */
export const SEARCH_PARAMETERS: Parameter[] = [
  { name: 'q', description: 'Free text with web-search syntax: "quoted phrase", -excluded, OR. Any text is valid.', schema: z.string().max(500), example: 'bus fares' },
  { name: 'member', description: 'Asked by this member (slug). Repeat for any of several.', schema: z.string(), repeatable: true },
  { name: 'group', description: "Asked by a member of this party group on the day asked (slug). Repeat for any of several.", schema: z.string(), repeatable: true },
  { name: 'body', description: 'Answered by this body (slug)', schema: z.string() },
  { name: 'meeting', description: 'Asked at this meeting (slug)', schema: z.string() },
  { name: 'type', description: 'Question type', schema: z.enum(['written', 'oral']) },
  { name: 'status', description: 'Public status; overdue and very_overdue are unanswered questions past those bands today', schema: z.enum(['awaiting_answer', 'holding_answer', 'answered', 'withdrawn', 'overdue', 'very_overdue']) },
  { name: 'year', description: 'Reference year', schema: z.number().int(), example: '2026' },
  { name: 'topic', description: 'On this topic (slug)', schema: z.string() },
  { name: 'from', description: 'Asked on or after this day', schema: isoDay },
  { name: 'to', description: 'Asked on or before this day', schema: isoDay },
  { name: 'sort', description: 'relevance (the default with q), newest (the default without) or oldest', schema: z.enum(['relevance', 'newest', 'oldest']) },
  { name: 'page', description: 'Page number, 1 to 500: 20 results a page, and only the first 10,000 results are shown (narrow the search for more)', schema: z.number().int().min(1).max(500), example: '1' },
];

const papers = [
  { kind: 'agenda', schema: AgendaPaper, summary: 'A meeting’s agenda', description: 'The agenda, generated from the record.' },
  { kind: 'questions', schema: QuestionsPaper, summary: 'A meeting’s all questions list', description: 'Every oral and written question for the meeting.' },
  { kind: 'answers', schema: AnswersPaper, summary: 'A meeting’s answered questions', description: 'Questions answered so far, with the answers; it grows as answers are published.' },
  { kind: 'transcript', schema: TranscriptPaper, summary: 'A meeting’s transcript', description: 'Who was present, and the oral exchanges question by question.' },
] as const;

const pageParameter: Parameter = { name: 'page', description: 'Page number, from 1', schema: z.number().int().min(1), example: '1' };

/** The list and the one-record endpoints of members, groups, bodies and topics, which all work alike. */
function recordEndpoints(
  plural: string,
  tag: string,
  what: string,
  name: string,
  list: z.ZodType,
  one: z.ZodType,
  text: { list: string; one: string; example: string },
): Endpoint[] {
  return [
    { route: `/api/v1/${plural}`, tag, operationId: `list${name}s`, summary: `All ${plural === 'bodies' ? 'answering bodies' : plural === 'groups' ? 'party groups' : plural}`, description: text.list, query: [pageParameter], response: list, errors: [400] },
    { route: `/api/v1/${plural}/:slug`, tag, operationId: `get${name}`, summary: `One ${what}`, description: text.one, pathParams: [slugParam(what, text.example)], response: one, errors: [404] },
  ];
}

export const ENDPOINTS: Endpoint[] = [
  {
    route: '/api/v1/questions',
    tag: 'Questions',
    operationId: 'searchQuestions',
    summary: 'Search questions',
    description: 'Questions and answers matching a search, newest first (or by relevance with q), a page at a time. links.next gives the next page.',
    query: SEARCH_PARAMETERS,
    response: QuestionList,
    errors: [400],
  },
  {
    route: '/api/v1/questions/:year/:number',
    tag: 'Questions',
    operationId: 'getQuestion',
    summary: 'One question',
    description: 'A question by its reference, with every published answer version (and what each correction changed), the oral exchange, the deadline and whether it was met, the timeline of what happened, and the follow-up thread.',
    pathParams: [
      { name: 'year', description: 'The reference year', schema: z.string().regex(/^\d{4}$/), example: '2026' },
      { name: 'number', description: 'The reference number (leading zeros optional)', schema: z.string().regex(/^\d{1,6}$/), example: '0012' },
    ],
    response: Question,
    errors: [404],
  },
  ...recordEndpoints('members', 'Members', 'member', 'Member', MemberList, Member, {
    list: 'Everyone who has sat in the assembly: current members first (with their party group today), then former members; 100 a page.',
    one: 'A member with their terms in the assembly, party groups and offices, how promptly their questions were answered, and their latest questions.',
    example: 'jane-smith',
  }),
  ...recordEndpoints('groups', 'Party groups', 'party group', 'Group', GroupList, Group, {
    list: 'Every party group, with how many members it has today.',
    one: 'A party group with its members over time and a profile of the questions they asked while in it.',
    example: 'green-group',
  }),
  ...recordEndpoints('bodies', 'Answering bodies', 'answering body', 'Body', BodyList, Body, {
    list: 'The bodies that answer questions: the Mayor’s office and the functional bodies.',
    one: 'An answering body with a profile of the questions it has answered.',
    example: 'transport-body',
  }),
  ...recordEndpoints('topics', 'Topics', 'topic', 'Topic', TopicList, Topic, {
    list: 'Every topic, with how many public questions are on it.',
    one: 'A topic with a profile of the questions on it.',
    example: 'transport',
  }),
  {
    route: '/api/v1/meetings',
    tag: 'Meetings',
    operationId: 'listMeetings',
    summary: 'All meetings',
    description: 'Every meeting, newest first, 100 a page: held, upcoming and cancelled.',
    query: [pageParameter],
    response: MeetingList,
    errors: [400],
  },
  {
    route: '/api/v1/meetings/:slug',
    tag: 'Meetings',
    operationId: 'getMeeting',
    summary: 'One meeting',
    description: 'A meeting with its papers, who attended, a summary of its questions, and every question with its latest answer.',
    pathParams: [meetingSlug],
    response: Meeting,
    errors: [404],
  },
  ...papers.map(
    (p): Endpoint => ({
      route: `/api/v1/meetings/:slug/papers/${p.kind}`,
      tag: 'Meetings',
      operationId: `getMeeting${p.kind[0]?.toUpperCase()}${p.kind.slice(1)}Paper`,
      summary: p.summary,
      description: p.description,
      pathParams: [meetingSlug],
      response: p.schema,
      errors: [404],
    }),
  ),
  {
    route: '/api/v1/meetings/:slug/papers/report',
    tag: 'Meetings',
    operationId: 'getMayorsReport',
    summary: 'The Mayor’s report to a meeting',
    description: 'The published report, with the questions it answers. 404 until it is published.',
    pathParams: [meetingSlug],
    response: MayorsReport,
    errors: [404],
  },
  {
    route: '/api/v1/meetings/:slug/order-paper',
    tag: 'Meetings',
    operationId: 'getOrderPaper',
    summary: 'The Priority Order Paper',
    description: 'The order in which oral questions are taken, once published, with the method that produced it. 404 until published.',
    pathParams: [meetingSlug],
    response: OrderPaper,
    errors: [404],
  },
  {
    route: '/api/v1/meetings/:slug/papers/order-paper',
    tag: 'Meetings',
    operationId: 'getOrderPaperAmongPapers',
    summary: 'The Priority Order Paper (beside the other papers)',
    description: 'The same as /api/v1/meetings/{slug}/order-paper, at the address the other papers use.',
    pathParams: [meetingSlug],
    response: OrderPaper,
    errors: [404],
  },
  {
    route: '/api/v1/calendar',
    tag: 'Meetings',
    operationId: 'getCalendar',
    summary: 'Upcoming meetings',
    description: 'Meetings from today on, with their tabling cut-offs. The same calendar is at icalUrl as iCalendar.',
    response: Calendar,
    errors: [],
  },
  {
    route: '/api/v1/openapi.json',
    tag: 'About the API',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the open API.',
    response: OpenApiDocument,
    errors: [],
  },
  {
    route: '/api/v1/press-releases',
    tag: 'Press releases',
    operationId: 'listPressReleases',
    summary: 'Press releases',
    description: 'Members’ published press releases, newest first, 20 a page.',
    query: [
      { name: 'member', description: 'By this member (slug)', schema: z.string() },
      { name: 'group', description: 'From this party group (slug)', schema: z.string() },
      { name: 'category', description: 'In this category (slug)', schema: z.string() },
      { name: 'from', description: 'Published on or after this day', schema: isoDay },
      { name: 'to', description: 'Published on or before this day', schema: isoDay },
      pageParameter,
    ],
    response: PressReleaseList,
    errors: [400],
  },
  {
    route: '/api/v1/press-releases/:slug',
    tag: 'Press releases',
    operationId: 'getPressRelease',
    summary: 'One press release',
    description: 'A press release with its quotes and the questions and answers it cites, from the record. A withdrawn release answers 410 Gone.',
    pathParams: [slugParam('press release', '2026-11-24-bus-fares')],
    response: PressRelease,
    errors: [404],
    gone: PressReleaseGone,
  },
  // A new public endpoint: add it here with a schema in schemas/<resource>.ts; the docs page and the contract
  // test pick it up.
];

export { ApiError };
