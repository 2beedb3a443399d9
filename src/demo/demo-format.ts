// The shape of the demo assembly's data files (src/demo/data/*.json), validated before loading.
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lower-case slug');

export const demoOrganisation = z.object({
  slug,
  name: z.string().min(1),
  shortName: z.string().optional(),
  abbreviation: z.string().optional(),
  classification: z.enum(['assembly', 'party_group', 'executive', 'functional_body']),
  parent: slug.optional(),
});

export const demoPerson = z.object({
  slug,
  name: z.string().min(1),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
});

export const demoMembership = z.object({
  person: slug,
  organisation: slug,
  role: z.enum(['member', 'leader', 'mayor', 'deputy_mayor', 'commissioner']),
  label: z.string().optional(),
  startDate: isoDate,
  endDate: isoDate.optional(),
  endReason: z.enum(['term_ended', 'resigned', 'changed_group', 'retired', 'died', 'removed']).optional(),
});

/** A meeting is either on a fixed date or placed relative to the day the demo is loaded. */
export const demoMeeting = z.object({
  slug,
  type: z.enum(['mqt', 'plenary', 'budget', 'police_and_crime']),
  date: isoDate.optional(),
  relative: z
    .object({
      days: z.number().int(),
      snap: z.enum(['wednesday_on_or_before', 'wednesday_on_or_after', 'working_day_on_or_before']),
    })
    .optional(),
  startTime: z.string().regex(/^\d{2}:\d{2}$/),
  place: z.string().min(1),
  title: z.string().optional(),
});

export const demoAssembly = z.object({
  assembly: z.object({ slug, name: z.string(), city: z.string(), notice: z.string() }),
  organisations: z.array(demoOrganisation),
  people: z.array(demoPerson),
  memberships: z.array(demoMembership),
  topics: z.array(z.object({ slug, name: z.string() })),
  meetings: z.array(demoMeeting),
  preElectionPeriods: z.array(z.object({ startDate: isoDate, endDate: isoDate, description: z.string() })),
});

/** One turn of a meeting transcript: who spoke and what they said. */
export const demoTurn = z.object({ speaker: slug, text: z.string().min(1) });

export const demoAnswer = z.object({
  /** holding: "officers are drafting a response"; substantive: the answer; correction: a later corrected text. */
  kind: z.enum(['holding', 'substantive', 'correction']),
  text: z.string().min(1),
  /** The person the answer is published under (usually the Mayor of the day). */
  by: slug,
  /** The working day the version was published. */
  publishedOn: isoDate,
  /** For a correction: what changed and why, shown beside the corrected version. */
  correctionNote: z.string().optional(),
});

export const demoQuestion = z.object({
  /** Unique key within the demo, used for follow-ups and by tests. */
  key: slug,
  meeting: slug,
  type: z.enum(['written', 'oral']),
  asker: slug,
  title: z.string().min(1).max(200),
  text: z.string().min(1),
  topics: z.array(slug).min(1),
  /** The body the question is allocated to for an answer. */
  answeringBody: slug,
  /**
   * Where the question stands in the demo:
   * draft / tabled (not yet accepted, private), rejected (private), accepted with no answer yet
   * ("awaiting"), answered, withdrawn.
   */
  state: z.enum(['draft', 'tabled', 'rejected', 'awaiting', 'answered', 'withdrawn']),
  tabledOn: isoDate.optional(),
  rejectionReason: z.string().optional(),
  withdrawnOn: isoDate.optional(),
  followUpOf: slug.optional(),
  /** Published answer versions, oldest first (written answers, and oral questions not reached). */
  answers: z.array(demoAnswer).default([]),
  /** For an oral question taken at the meeting: the exchange, then numbered supplementaries. */
  oral: z
    .object({
      reached: z.boolean(),
      /** The oral answer: the asker's question and the answerer's reply, as transcript turns. */
      turns: z.array(demoTurn).default([]),
      supplementaries: z.array(z.object({ asker: slug, turns: z.array(demoTurn).min(1) })).default([]),
    })
    .optional(),
});

export const demoQuestionFile = z.array(demoQuestion);

export type DemoAssembly = z.infer<typeof demoAssembly>;
export type DemoQuestion = z.infer<typeof demoQuestion>;
