// Response schemas for meetings, their generated papers (agenda, questions, answers, transcript), the Priority
// Order Paper, the Mayor's report and the calendar.
import { z } from 'zod';
import { component, count, instant, isoDate, PersonRef, reference, slug, Speaker, Supplementary, url } from './common.ts';
import { pageOfItems } from './profile.ts';
import { AnswerKind, Delivery, publicStatus, QuestionSummary, questionType } from './question.ts';

export const meetingType = z.enum(['mqt', 'plenary', 'budget', 'police_and_crime']);
export const meetingState = z.enum(['scheduled', 'held', 'cancelled']);
const capacity = z.enum(['member', 'mayor', 'deputy_mayor', 'commissioner', 'guest', 'officer']);

const meetingFields = {
  slug,
  url,
  title: z.string(),
  type: meetingType,
  typeName: z.string(),
  date: isoDate,
  startsAt: instant,
  endsAt: instant.nullable(),
  place: z.string(),
  state: meetingState,
};

export const MeetingRef = component('PaperMeeting', z.object(meetingFields), 'The meeting a paper belongs to');

const Attendee = z.object({ slug, name: z.string(), capacity });

export const MeetingAnswer = component(
  'MeetingAnswer',
  z
    .object({
      version: z.number().int().min(1),
      kind: AnswerKind,
      delivery: Delivery,
      text: z.string(),
      answeredBy: z.object({ slug, name: z.string(), role: z.string() }),
      publishedAt: instant,
    })
    .nullable(),
  'The latest published answer, or null',
);

const exchange = { transcript: z.array(Speaker), supplementaries: z.array(Supplementary) };

export const Meeting = component(
  'Meeting',
  z.object({
    ...meetingFields,
    tablingCutoffAt: instant,
    mayorsReportDueOn: isoDate.nullable(),
    papers: z.array(z.object({ kind: z.string(), title: z.string(), url, csv: url.nullable(), json: url.nullable() })),
    present: z.array(Attendee),
    summary: z.object({
      questions: count,
      asked: count,
      answeredOrally: count,
      answeredOnTime: count,
      answeredLate: count,
      awaiting: count,
      withdrawn: count,
    }),
    reportQuestions: z
      .array(z.object({ ...QuestionSummary.shape, answer: MeetingAnswer, transcript: exchange.transcript.optional(), supplementaries: exchange.supplementaries.optional() }))
      .describe("Questions answered on the Mayor's report, listed apart from the oral and written questions (oral ones with their exchange)"),
    oralQuestions: z.array(z.object({ ...QuestionSummary.shape, position: z.number().int().nullable(), answer: MeetingAnswer, ...exchange })),
    writtenQuestions: z.array(z.object({ ...QuestionSummary.shape, answer: MeetingAnswer })),
  }),
  'A meeting with its papers, attendance, summary and every question with its answer',
);

const listedQuestion = {
  reference,
  url,
  position: z.number().int().nullable().describe('Position on the Priority Order Paper (oral questions)'),
  type: questionType,
  notReached: z.boolean(),
  title: z.string(),
  text: z.string(),
  asker: PersonRef,
  askedOn: isoDate.nullable(),
  dueOn: isoDate.nullable(),
  status: publicStatus,
  statusLabel: z.string(),
};

export const AgendaPaper = component(
  'AgendaPaper',
  z.object({
    paper: z.literal('agenda'),
    meeting: MeetingRef,
    items: z.array(z.object({ number: z.number().int().min(1), title: z.string(), text: z.string(), links: z.array(z.object({ text: z.string(), url: z.string() })) })),
  }),
);

export const QuestionsPaper = component(
  'QuestionsPaper',
  z.object({ paper: z.literal('questions'), meeting: MeetingRef, oralQuestions: z.array(z.object(listedQuestion)), writtenQuestions: z.array(z.object(listedQuestion)) }),
  'The all questions list',
);

export const AnswersPaper = component(
  'AnswersPaper',
  z.object({ paper: z.literal('answers'), meeting: MeetingRef, answers: z.array(z.object({ ...listedQuestion, answer: MeetingAnswer })) }),
  'The answered questions paper: grows as answers are published',
);

export const TranscriptPaper = component(
  'TranscriptPaper',
  z.object({
    paper: z.literal('transcript'),
    meeting: MeetingRef,
    present: z.array(Attendee),
    questions: z.array(z.object({ reference, url, position: z.number().int().nullable(), title: z.string(), asker: PersonRef, ...exchange })),
    notReached: z.array(z.object({ reference, title: z.string(), asker: PersonRef })),
  }),
);

export const OrderPaper = component(
  'OrderPaper',
  z.object({
    meeting: z.object({ slug, title: z.string(), type: meetingType, typeName: z.string(), date: isoDate, startsAt: instant, place: z.string(), url }),
    url,
    csv: url,
    publishedAt: instant.nullable(),
    followsDefaultOrder: z.boolean(),
    method: z.array(z.string()).describe('How the default order is worked out, paragraph by paragraph'),
    partyGroups: z.array(z.object({ name: z.string(), members: count, questions: count })),
    entries: z.array(
      z.object({
        position: z.number().int().min(1),
        reference: reference.nullable(),
        title: z.string(),
        withdrawn: z.boolean(),
        asker: z.object({ slug, name: z.string(), url }),
        partyGroup: z.string().nullable(),
        url: url.nullable(),
      }),
    ),
  }),
  'The published Priority Order Paper',
);

export const MayorsReport = component(
  'MayorsReport',
  z.object({
    meeting: z.object({ slug, url, title: z.string(), date: isoDate }),
    url,
    title: z.string(),
    body: z.string(),
    dueOn: isoDate.nullable(),
    publishedAt: instant,
    questions: z.array(z.object({ reference: reference.nullable(), url: url.nullable(), title: z.string(), type: z.enum(['written', 'oral', 'supplementary']), asker: PersonRef })),
    document: z.object({ url, fileName: z.string(), mediaType: z.string(), bytes: count, sha256: z.string() }).nullable(),
  }),
  "The Mayor's published report to the meeting",
);

export const MeetingListItem = component(
  'MeetingListItem',
  z.object({ slug, url, apiUrl: url, title: z.string(), type: meetingType, typeName: z.string(), date: isoDate, startsAt: instant, place: z.string(), tablingCutoffAt: instant, state: meetingState }),
);

export const MeetingList = component('MeetingList', pageOfItems(MeetingListItem), 'Every meeting, newest first, 100 a page');

export const Calendar = component(
  'Calendar',
  z.object({
    count,
    icalUrl: url,
    meetings: z.array(
      z.object({ ...meetingFields, tablingCutoffAt: instant, mayorsReportDueOn: isoDate.nullable(), icalUid: z.string() }),
    ),
  }),
  'Upcoming meetings (also as iCalendar at icalUrl)',
);
