// Composes the demo's generated questions: a seeded, deterministic mix of written and oral questions with
// full answers, built from the written material in compose-parts.ts for the 2009 and 2010 MQT meetings.
import { addDays } from '../calendar/iso-date.ts';
import { addWorkingDays, isWorkingDay } from '../calendar/working-days.ts';
import {
  BODY_NAMES,
  BODY_SLOTS,
  BRIDGES,
  CLOSINGS,
  COMMON_FRAMES,
  FOLLOW_UP_LEADS,
  GOVERNING_GROUP,
  GROUP_TOPIC_INTEREST,
  HOLDING_ANSWERS,
  LATE_APOLOGIES,
  MAYOR_CLOSES,
  MAYOR_LEADS,
  ORAL_LEADS,
  SUPPLEMENTARIES,
  TOPICS,
  type BodySlug,
  type Frame,
  type Measure,
  type Subject,
  type Tone,
  type TopicParts,
} from './compose-parts.ts';
import type { DemoAssembly, DemoQuestion } from './demo-format.ts';

export interface ComposeOptions {
  seed?: number;
  count?: number;
}

/** Meetings the composer writes for: the fixed-date MQTs of 2009 and 2010. */
const MEETING_SLUG = /^mqt-(2009|2010)-/;

// Shares of the output, as the brief for the demo sets them.
const ORAL_SHARE = 0.2;
const ORAL_REACHED_SHARE = 0.75;
const LATE_SHARE = 0.1;
const HOLDING_SHARE = 0.04;
const WITHDRAWN_SHARE = 0.01;
const AWAITING_SHARE = 0.02;
const FOLLOW_UP_CHANCE = 0.07;
/** Working days after the meeting an on-time answer is published: mostly by the statutory third day. */
const ON_TIME_DAYS = [1, 2, 2, 3, 3, 3, 3, 4, 5, 6] as const;

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast 32-bit PRNG; plenty for composing demo text. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a key into a seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.float(min, max + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.float(0, total);
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return this.pick(items);
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting and dates
// ---------------------------------------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function withCommas(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function money(pounds: number): string {
  if (pounds >= 1_000_000) {
    const millions = pounds / 1_000_000;
    const text = millions >= 100 ? String(Math.round(millions)) : millions.toFixed(1).replace(/\.0$/, '');
    return `£${text} million`;
  }
  const step = pounds >= 100_000 ? 1000 : pounds >= 10_000 ? 100 : 10;
  return `£${withCommas(Math.round(pounds / step) * step)}`;
}

/** Money in a budget line: "£213,000", "£5.96 million", "£31.5 million". */
function budgetMoney(pounds: number): string {
  if (pounds >= 1_000_000) {
    const millions = pounds / 1_000_000;
    return `£${millions.toFixed(millions >= 10 ? 1 : 2).replace(/\.?0+$/, '')} million`;
  }
  return `£${withCommas(Math.round(pounds / 1000) * 1000)}`;
}

/** A count rounded to two significant figures: 4,132 becomes 4,100. */
function roundish(n: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(1, n))) - 1);
  return Math.round(n / step) * step;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The year a financial year (April to March) starts in. */
function fyStart(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 4 ? year : year - 1;
}

function fyLabel(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** "June 2009" for the month `offset` months from `date`'s month. */
function monthLabel(date: string, offset: number): string {
  const index = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + offset;
  return `${MONTHS[index % 12]} ${Math.floor(index / 12)}`;
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

const SLOT = /\{([A-Za-z£][A-Za-z0-9]*)(?::(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?))?\}/g;
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';

export interface RenderContext {
  /** Text slots: name, label, district, fy ... */
  values: Readonly<Record<string, string>>;
  /** The answering body {body} stands for. */
  body: BodySlug;
}

/** Fills a template's slots; body mentions stay as markers until `finalise` spells them out. */
export function renderTemplate(template: string, ctx: RenderContext, rng: Rng): string {
  return template.replace(SLOT, (_match, key: string, lo: string | undefined, hi: string | undefined) => {
    if (lo !== undefined && hi !== undefined) {
      const min = Number(lo);
      const max = Number(hi);
      switch (key) {
        case 'n':
          return withCommas(rng.int(min, max));
        case 'r':
          return withCommas(roundish(rng.int(min, max)));
        case '£':
          return money(rng.float(min, max));
        case 'pct':
          return `${rng.int(min, max)} per cent`;
        case 'x':
          return rng.float(min, max).toFixed(1);
        default:
          throw new Error(`Unknown figure slot {${key}:...} in "${template}"`);
      }
    }
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    const cap = lower !== key;
    if (lower === 'agency' && ctx.body === 'mayors-office') throw new Error(`{${key}} used for the Mayor's own office in "${template}"`);
    const slug = lower === 'body' || lower === 'agency' ? ctx.body : BODY_SLOTS[lower];
    if (slug !== undefined) return `${MARK_OPEN}${slug}${cap ? '^' : ''}${MARK_CLOSE}`;
    const value = ctx.values[lower];
    if (value === undefined) throw new Error(`Unknown slot {${key}} in "${template}"`);
    return cap ? capitalise(value) : value;
  });
}

/** Whether a part can be used for a subject: {local} needs a district, {agency} a body other than the Mayor's office. */
export function fitsSubject(template: string, subject: Subject): boolean {
  if (/\{[Ll]ocal\}/.test(template) && subject.district === 'Wexbridge') return false;
  if (/\{[Aa]gency\}/.test(template) && subject.body === 'mayors-office') return false;
  return true;
}

function pickFitting(rng: Rng, parts: readonly string[], subject: Subject): string {
  return rng.pick(parts.filter((part) => fitsSubject(part, subject)));
}

/**
 * Spells out body mentions: the first in full with its abbreviation, later ones short. A question is
 * addressed to the Mayor, so the Mayor's own office is "your office" there.
 */
export function finalise(text: string, audience: 'question' | 'answer'): string {
  const seen = new Set<string>();
  const marker = new RegExp(`${MARK_OPEN}([a-z-]+)(\\^?)${MARK_CLOSE}`, 'g');
  return text.replace(marker, (_match, slug: string, cap: string) => {
    const names = BODY_NAMES[slug as BodySlug];
    let name: string;
    if (audience === 'question' && slug === 'mayors-office') name = names.asked;
    else if (seen.has(slug)) name = names.short;
    else name = audience === 'question' ? names.asked : names.long;
    seen.add(slug);
    return cap === '^' ? capitalise(name) : name;
  });
}

// ---------------------------------------------------------------------------------------------
// Figures that stay the same for a subject within a financial year, whichever question cites them
// ---------------------------------------------------------------------------------------------

class Figures {
  constructor(private readonly seed: number) {}

  rng(key: string): Rng {
    return new Rng(hash32(`${this.seed}|${key}`));
  }

  measureValue(subject: Subject, fy: string): number {
    const { min, max, format, round } = subject.measure;
    // A base in the middle of the range and a yearly drift that keeps it inside the range, so no figure
    // sticks at a bound year after year.
    const base = this.rng(`${subject.id}|base`).float(min + 0.2 * (max - min), max - 0.2 * (max - min));
    const value = base + this.rng(`${subject.id}|${fy}`).float(-0.2, 0.2) * (max - min);
    if (format === 'decimal' || format === 'percent') return Math.round(value * 10) / 10;
    if (format === 'money') return value;
    const step = round ?? 1;
    return Math.round(value / step) * step;
  }

  budget(subject: Subject, fy: string): number | undefined {
    if (!subject.budget) return undefined;
    const [min, max] = subject.budget;
    const base = this.rng(`${subject.id}|budget`).float(min, max);
    return base * (1 + this.rng(`${subject.id}|budget|${fy}`).float(-0.05, 0.06));
  }
}

function formatMeasure(measure: Measure, value: number): string {
  switch (measure.format) {
    case 'decimal':
      return `${value.toFixed(1)}${measure.unit ? ` ${measure.unit}` : ''}`;
    case 'percent':
      return `${value.toFixed(1)} per cent`;
    case 'money':
      return money(value);
    default:
      return value >= 1_000_000 ? `${(value / 1_000_000).toFixed(1).replace(/\.0$/, '')} million` : withCommas(value);
  }
}

function budgetTrend(budget: number, budget0: number, lastfy: string): string {
  if (budgetMoney(budget) === budgetMoney(budget0)) return `the same as in ${lastfy}`;
  return budget > budget0 ? `up from ${budgetMoney(budget0)} in ${lastfy}` : `compared with ${budgetMoney(budget0)} in ${lastfy}`;
}

function trendPhrase(measure: Measure, v: number, v0: number, prevfy: string): string {
  const before = formatMeasure(measure, v0);
  const change = v0 === 0 ? 0 : (v - v0) / v0;
  if (Math.abs(change) < 0.015) return `much the same as the ${before} recorded in ${prevfy}`;
  // Percentages, and small counts where a percentage change would overstate things, read better as "up from".
  if (measure.format === 'percent' || (measure.format === undefined && v0 < 50)) return `${v > v0 ? 'up' : 'down'} from ${before} in ${prevfy}`;
  const pct = Math.max(2, Math.round(Math.abs(change) * 100));
  return `a ${v > v0 ? 'rise' : 'fall'} of ${pct} per cent on the ${before} recorded in ${prevfy}`;
}

// ---------------------------------------------------------------------------------------------
// The assembly: who was a member, in which group, and who was Mayor, on a given day
// ---------------------------------------------------------------------------------------------

interface Member {
  person: string;
  group: string;
}

function covers(m: { startDate: string; endDate?: string | undefined }, date: string): boolean {
  return m.startDate <= date && (m.endDate === undefined || date <= m.endDate);
}

export function membersOn(assembly: DemoAssembly, date: string): Member[] {
  const groups = new Set(assembly.organisations.filter((o) => o.classification === 'party_group').map((o) => o.slug));
  const out: Member[] = [];
  for (const seat of assembly.memberships) {
    if (seat.organisation !== assembly.assembly.slug || seat.role !== 'member' || !covers(seat, date)) continue;
    const group = assembly.memberships.find(
      (m) => m.person === seat.person && m.role === 'member' && groups.has(m.organisation) && covers(m, date),
    );
    if (group) out.push({ person: seat.person, group: group.organisation });
  }
  return out;
}

function mayorOn(assembly: DemoAssembly, date: string): string {
  const mayor = assembly.memberships.find((m) => m.role === 'mayor' && covers(m, date));
  if (!mayor) throw new Error(`No Mayor in office on ${date}`);
  return mayor.person;
}

// ---------------------------------------------------------------------------------------------
// Planning the output: which meeting, which type, which state
// ---------------------------------------------------------------------------------------------

type Outcome = 'on_time' | 'late' | 'holding' | 'withdrawn' | 'awaiting' | 'oral_reached';

interface Slot {
  meeting: string;
  date: string;
  type: 'written' | 'oral';
  outcome: Outcome;
}

function planSlots(meetings: readonly { slug: string; date: string }[], count: number, rng: Rng): Slot[] {
  const perMeeting = meetings.map(() => Math.floor(count / meetings.length));
  for (const i of rng.shuffle(meetings.map((_, i) => i)).slice(0, count % meetings.length)) {
    perMeeting[i] = (perMeeting[i] ?? 0) + 1;
  }
  const slots: Slot[] = [];
  meetings.forEach((meeting, i) => {
    for (let k = 0; k < (perMeeting[i] ?? 0); k++) slots.push({ meeting: meeting.slug, date: meeting.date, type: 'written', outcome: 'on_time' });
  });

  const orals = rng.shuffle(slots).slice(0, Math.round(count * ORAL_SHARE));
  for (const slot of orals) slot.type = 'oral';
  for (const slot of rng.shuffle(orals).slice(0, Math.round(orals.length * ORAL_REACHED_SHARE))) slot.outcome = 'oral_reached';

  // At least one of each where the output is big enough to hold them.
  const quota = (share: number): number => (count >= 20 ? Math.max(1, Math.round(count * share)) : Math.round(count * share));
  const assign = (outcome: Outcome, n: number, eligible: (s: Slot) => boolean): void => {
    const free = rng.shuffle(slots.filter((s) => s.outcome === 'on_time' && eligible(s)));
    for (const slot of free.slice(0, n)) slot.outcome = outcome;
  };
  assign('awaiting', quota(AWAITING_SHARE), (s) => s.type === 'written' && s.date.startsWith('2010'));
  assign('withdrawn', quota(WITHDRAWN_SHARE), (s) => s.type === 'written');
  assign('holding', quota(HOLDING_SHARE), () => true);
  assign('late', quota(LATE_SHARE), () => true);

  // Within a meeting, oral questions come first, in the order they were taken.
  const rank = (s: Slot): number => (s.outcome === 'oral_reached' ? 0 : s.type === 'oral' ? 1 : 2);
  return slots
    .map((slot, index) => ({ slot, index }))
    .sort((a, b) => a.slot.date.localeCompare(b.slot.date) || rank(a.slot) - rank(b.slot) || a.index - b.index)
    .map(({ slot }) => slot);
}

// ---------------------------------------------------------------------------------------------
// Composing one question
// ---------------------------------------------------------------------------------------------

interface Choice {
  topic: TopicParts;
  subject: Subject;
  frame: Frame;
  title: string;
}

interface Composed {
  question: DemoQuestion;
  subject: Subject;
  topic: TopicParts;
  meetingDate: string;
  /** When its substantive answer (or oral answer) was on the record, if it has one. */
  answeredOn?: string;
}

/** The frames that can ask about `subject` (at a meeting in `month`, if given). */
export function framesFor(topic: TopicParts, subject: Subject, month?: number): Frame[] {
  if (month !== undefined && subject.months && !subject.months.includes(month)) return [];
  return [...COMMON_FRAMES, ...topic.frames].filter(
    (f) =>
      f.kinds.includes(subject.kind) &&
      (f.only === undefined || f.only.includes(subject.id)) &&
      !(subject.avoid ?? []).includes(f.id) &&
      f.texts.some((t) => fitsSubject(t, subject)) &&
      f.openings.some((o) => fitsSubject(o, subject)),
  );
}

const LOWERABLE = new Set(['What', 'How', 'Will', 'Can', 'When', 'Why', 'Is', 'Are', 'Does', 'Do', 'Has', 'Have', 'Would', 'Please', 'Residents', 'Staff', 'Further', 'Following']);

/** Lower-cases a question's first word to follow a lead-in, or returns undefined if that would read wrongly. */
function lowerFirstWord(text: string): string | undefined {
  const first = /^[A-Za-z]+/.exec(text)?.[0];
  if (first === undefined || !LOWERABLE.has(first)) return undefined;
  return first.toLowerCase() + text.slice(first.length);
}

export function composeQuestions(assembly: DemoAssembly, options: ComposeOptions = {}): DemoQuestion[] {
  const seed = options.seed ?? 2009;
  const count = options.count ?? 280;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number, 0 or more; got ${count}`);

  const rng = new Rng(seed);
  const figures = new Figures(seed);
  const meetings = assembly.meetings
    .filter((m): m is typeof m & { date: string } => m.type === 'mqt' && MEETING_SLUG.test(m.slug) && m.date !== undefined)
    .sort((a, b) => a.date.localeCompare(b.date));
  if (meetings.length === 0) throw new Error('No 2009 or 2010 MQT meetings in the assembly');
  const assemblyTopics = new Set(assembly.topics.map((t) => t.slug));
  const topics = TOPICS.filter((t) => assemblyTopics.has(t.topic));

  const slots = planSlots(meetings, count, rng);
  const titles = new Set<string>();
  const answerTexts = new Set<string>();
  const subjectUses = new Map<string, number>();
  const topicUses = new Map<string, number>();
  const followedUp = new Set<string>();
  const composed: Composed[] = [];

  const governing = (group: string): boolean => group === GOVERNING_GROUP;
  const keyOf = (index: number): string => `gen-${String(index + 1).padStart(4, '0')}`;

  for (const [index, slot] of slots.entries()) {
    const month = Number(slot.date.slice(5, 7));
    const members = membersOn(assembly, slot.date);
    if (members.length === 0) throw new Error(`No members on ${slot.date}`);
    const sameMeeting = composed.filter((c) => c.question.meeting === slot.meeting);
    const asked = (person: string): number => sameMeeting.filter((c) => c.question.asker === person).length;
    const askedOrally = (person: string): boolean => sameMeeting.some((c) => c.question.asker === person && c.question.type === 'oral');

    const tabledOn = rng.pick(
      Array.from({ length: 9 }, (_, i) => addDays(slot.date, -(6 + i))).filter((d) => isWorkingDay(d)),
    );

    let asker: Member | undefined;
    let choice: Choice | undefined;
    let followUp: Composed | undefined;
    const tones = (m: Member): [Tone, Tone] => (governing(m.group) ? ['friendly', 'neutral'] : ['press', 'neutral']);
    const toneOdds = (m: Member): number => (governing(m.group) ? 0.4 : 0.5);

    const chooseFrame = (m: Member, topic: TopicParts, subject: Subject): Choice | undefined => {
      const [lead, other] = tones(m);
      const order: Tone[] = rng.chance(toneOdds(m)) ? [lead, other] : [other, lead];
      for (const tone of order) {
        // Asked aloud, a question wants an answer, not a table of figures.
        const frames = framesFor(topic, subject, month).filter((f) => f.tone === tone && !(slot.type === 'oral' && f.id === 'figures'));
        const open = frames.flatMap((frame) => {
          const title = capitalise(titleOf(frame, subject));
          return titles.has(title.toLowerCase()) ? [] : [{ topic, subject, frame, title }];
        });
        if (open.length > 0) return rng.weighted(open, (c) => c.frame.weight ?? 1);
      }
      return undefined;
    };

    // Now and then, a member follows up an earlier answer of theirs on the same subject.
    if (slot.type === 'written' && slot.outcome !== 'withdrawn' && slot.outcome !== 'awaiting' && rng.chance(FOLLOW_UP_CHANCE)) {
      const earlier = rng.shuffle(
        composed.filter(
          (c) =>
            c.question.meeting !== slot.meeting &&
            !followedUp.has(c.question.key) &&
            c.answeredOn !== undefined &&
            c.answeredOn < tabledOn &&
            members.some((m) => m.person === c.question.asker) &&
            asked(c.question.asker) < 2,
        ),
      );
      for (const prior of earlier) {
        const m = members.find((x) => x.person === prior.question.asker);
        const c = m && chooseFrame(m, prior.topic, prior.subject);
        if (m && c) {
          asker = m;
          choice = c;
          followUp = prior;
          break;
        }
      }
    }

    if (!asker || !choice) {
      const eligible = members.filter((m) => asked(m.person) < 2 && !(slot.type === 'oral' && askedOrally(m.person)));
      for (let attempt = 0; attempt < 200 && !choice; attempt++) {
        asker = rng.weighted(eligible.length > 0 ? eligible : members, (m) => (governing(m.group) ? 0.85 : 1.2));
        const interest = GROUP_TOPIC_INTEREST[asker.group] ?? {};
        // Interest sets the odds, damped for a topic already asked about more than its share so far.
        const share = 1 + composed.length / topics.length;
        const topic = rng.weighted(topics, (t) => (t.weight * (interest[t.topic] ?? 1)) / (1 + (topicUses.get(t.topic) ?? 0) / share));
        const subjects = topic.subjects.filter((s) => framesFor(topic, s, month).length > 0);
        if (subjects.length === 0) continue;
        const subject = rng.weighted(subjects, (s) => 1 / (1 + (subjectUses.get(s.id) ?? 0)) ** 2);
        choice = chooseFrame(asker, topic, subject);
      }
    }
    if (!asker || !choice) throw new Error(`Ran out of distinct questions at ${slot.meeting}; add subjects or frames`);

    titles.add(choice.title.toLowerCase());
    subjectUses.set(choice.subject.id, (subjectUses.get(choice.subject.id) ?? 0) + 1);
    topicUses.set(choice.topic.topic, (topicUses.get(choice.topic.topic) ?? 0) + 1);
    const mayor = mayorOn(assembly, slot.date);
    const ctx = contextFor(choice.subject, slot.date, figures, rng, followUp);

    // The question.
    let text = renderTemplate(pickFitting(rng, choice.frame.texts, choice.subject), ctx, rng);
    if (followUp) {
      const lead = renderTemplate(rng.pick(FOLLOW_UP_LEADS), ctx, rng);
      const lowered = lead.endsWith(', ') ? lowerFirstWord(text) : text;
      text = lowered === undefined ? `${lead.replace(/, $/, '. ')}${text}` : `${lead}${lowered}`;
    }
    text = finalise(text, 'question');

    const question: DemoQuestion = {
      key: keyOf(index),
      meeting: slot.meeting,
      type: slot.type,
      asker: asker.person,
      title: choice.title,
      text,
      topics: [...new Set([choice.topic.topic, ...(choice.subject.also ?? [])])].filter((t) => assemblyTopics.has(t)),
      answeringBody: choice.subject.body,
      state: slot.outcome === 'withdrawn' ? 'withdrawn' : slot.outcome === 'awaiting' ? 'awaiting' : 'answered',
      tabledOn,
      answers: [],
    };
    if (followUp) {
      question.followUpOf = followUp.question.key;
      followedUp.add(followUp.question.key);
    }

    const writeAnswer = (late: boolean): string => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const answer = composeAnswer(choice, ctx, figures, rng, late);
        if (!answerTexts.has(answer)) {
          answerTexts.add(answer);
          return answer;
        }
      }
      throw new Error(`Could not compose a distinct answer for "${choice.title}"`);
    };

    let answeredOn: string | undefined;
    switch (slot.outcome) {
      case 'withdrawn': {
        const days = Array.from({ length: 20 }, (_, i) => addDays(tabledOn, i + 1)).filter((d) => d <= slot.date && isWorkingDay(d));
        question.withdrawnOn = rng.pick(days);
        break;
      }
      case 'awaiting':
        break;
      case 'oral_reached': {
        question.oral = composeOral(choice, ctx, text, asker, mayor, members, figures, rng, answerTexts);
        answeredOn = slot.date;
        break;
      }
      case 'holding': {
        const holdingOn = addWorkingDays(slot.date, rng.int(1, 3));
        answeredOn = addWorkingDays(slot.date, rng.int(8, 30));
        question.answers = [
          { kind: 'holding', text: rng.pick(HOLDING_ANSWERS), by: mayorOn(assembly, holdingOn), publishedOn: holdingOn },
          { kind: 'substantive', text: writeAnswer(false), by: mayorOn(assembly, answeredOn), publishedOn: answeredOn },
        ];
        break;
      }
      case 'late':
      case 'on_time': {
        const late = slot.outcome === 'late';
        answeredOn = addWorkingDays(slot.date, late ? rng.int(10, 40) : rng.pick(ON_TIME_DAYS));
        question.answers = [{ kind: 'substantive', text: writeAnswer(late), by: mayorOn(assembly, answeredOn), publishedOn: answeredOn }];
        break;
      }
    }
    if (slot.type === 'oral' && slot.outcome !== 'oral_reached') question.oral = { reached: false, turns: [], supplementaries: [] };

    composed.push({ question, subject: choice.subject, topic: choice.topic, meetingDate: slot.date, ...(answeredOn ? { answeredOn } : {}) });
  }
  return composed.map((c) => c.question);
}

function titleOf(frame: Frame, subject: Subject): string {
  // Titles only use slots that need no figures or dates.
  const values = { label: subject.label, measureTitle: subject.measure.title, district: subject.district };
  return frame.title.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    const value = values[lower as keyof typeof values];
    if (value === undefined) throw new Error(`Title slot {${key}} is not allowed in "${frame.title}"`);
    return lower === key ? value : capitalise(value);
  });
}

/** Every text slot for one question, fixed for all its parts so a date or figure reads the same throughout. */
function contextFor(subject: Subject, meetingDate: string, figures: Figures, rng: Rng, followUp: Composed | undefined): RenderContext {
  const start = fyStart(meetingDate);
  const fy = fyLabel(start);
  const lastfy = fyLabel(start - 1);
  const prevfy = fyLabel(start - 2);
  const v = figures.measureValue(subject, lastfy);
  const v0 = figures.measureValue(subject, prevfy);
  const year = Number(meetingDate.slice(0, 4));
  const budget = figures.budget(subject, fy);
  const budget0 = figures.budget(subject, lastfy);
  const values: Record<string, string> = {
    name: subject.name,
    label: subject.label,
    district: subject.district,
    ...(subject.district === 'Wexbridge' ? {} : { local: subject.district }),
    measureTitle: subject.measure.title,
    ask: subject.measure.ask,
    v: formatMeasure(subject.measure, v),
    v0: formatMeasure(subject.measure, v0),
    trend: trendPhrase(subject.measure, v, v0, prevfy),
    fy,
    lastfy,
    prevfy,
    nextfy: fyLabel(start + 1),
    year: String(year),
    lastyear: String(year - 1),
    nextyear: String(year + 1),
    recent: monthLabel(meetingDate, -rng.int(1, 4)),
    soon: monthLabel(meetingDate, rng.int(2, 7)),
    later: monthLabel(meetingDate, rng.int(9, 20)),
  };
  if (subject.due) values.due = subject.due;
  if (subject.cost) values.cost = subject.cost;
  if (budget !== undefined) values.budget = budgetMoney(budget);
  if (budget0 !== undefined) values.budget0 = budgetMoney(budget0);
  if (budget !== undefined && budget0 !== undefined) values.budgetTrend = budgetTrend(budget, budget0, lastfy);
  if (followUp) values.prevMonth = monthLabel(followUp.meetingDate, 0);
  const ctx: RenderContext = { values, body: subject.body };
  values.measure = renderTemplate(subject.measure.answer, ctx, rng);
  return ctx;
}

/** The slots a question about `subject` at a meeting on `meetingDate` would fill, for checking the written material. */
export function subjectContext(subject: Subject, meetingDate: string, seed = 2009): RenderContext {
  const ctx = contextFor(subject, meetingDate, new Figures(seed), new Rng(seed), undefined);
  return { body: ctx.body, values: { ...ctx.values, prevMonth: 'May 2009' } };
}

function factsFor(choice: Choice, ctx: RenderContext, figures: Figures, rng: Rng, howMany: number): string[] {
  const fy = ctx.values.fy ?? '';
  const indexes = rng.shuffle(choice.subject.facts.map((_, i) => i)).slice(0, howMany).sort((a, b) => a - b);
  return indexes.map((i) => renderTemplate(choice.subject.facts[i] ?? '', ctx, figures.rng(`${choice.subject.id}|fact${i}|${fy}`)));
}

function middleFor(choice: Choice, ctx: RenderContext, figures: Figures, rng: Rng): string {
  const topic = choice.topic;
  const i = rng.int(0, topic.middles.length - 1);
  return renderTemplate(topic.middles[i] ?? '', ctx, figures.rng(`${topic.topic}|middle${i}|${ctx.values.fy ?? ''}`));
}

/** The opening of an answer, and the facts after it, introduced by name if the opening did not name the subject. */
function openingAndFacts(choice: Choice, ctx: RenderContext, figures: Figures, rng: Rng, howMany: number): [string, string] {
  const opening = renderTemplate(pickFitting(rng, choice.frame.openings, choice.subject), ctx, rng);
  const named = opening.toLowerCase().includes(choice.subject.name.toLowerCase());
  const facts = factsFor(choice, ctx, figures, rng, howMany);
  if (!named) facts.unshift(renderTemplate(pickFitting(rng, BRIDGES[choice.subject.kind], choice.subject), ctx, rng));
  return [opening, facts.join(' ')];
}

function composeAnswer(choice: Choice, ctx: RenderContext, figures: Figures, rng: Rng, late: boolean): string {
  const [firstOpening, facts] = openingAndFacts(choice, ctx, figures, rng, rng.chance(0.45) ? 2 : 1);
  const opening = late && rng.chance(0.4) ? `${rng.pick(LATE_APOLOGIES)} ${firstOpening}` : firstOpening;
  const paragraphs = rng.chance(0.35) ? [`${opening} ${facts}`] : [opening, facts];
  if (rng.chance(0.55)) paragraphs.push(middleFor(choice, ctx, figures, rng));
  if (rng.chance(0.85)) {
    const own = choice.frame.closings;
    const pool = own && rng.chance(0.6) ? own : rng.chance(0.7) ? CLOSINGS[choice.frame.tone] : CLOSINGS.neutral;
    paragraphs.push(renderTemplate(pickFitting(rng, pool, choice.subject), ctx, rng));
  }
  return finalise(paragraphs.join('\n\n'), 'answer');
}

function composeOral(
  choice: Choice,
  ctx: RenderContext,
  questionText: string,
  asker: Member,
  mayor: string,
  members: readonly Member[],
  figures: Figures,
  rng: Rng,
  answerTexts: Set<string>,
): NonNullable<DemoQuestion['oral']> {
  const lead = renderTemplate(pickFitting(rng, ORAL_LEADS, choice.subject), ctx, rng);
  const spokenQuestion = lead === 'Mayor, ' ? `${lead}${lowerFirstWord(questionText) ?? questionText}` : `${lead}${questionText}`;
  let reply = '';
  for (let attempt = 0; attempt < 30 && (reply === '' || answerTexts.has(reply)); attempt++) {
    const [opening, fact] = openingAndFacts(choice, ctx, figures, rng, 1);
    reply = finalise(`${rng.pick(MAYOR_LEADS)}${opening} ${fact}${rng.pick(MAYOR_CLOSES)}`, 'answer');
  }
  answerTexts.add(reply);

  const supplementaries: NonNullable<DemoQuestion['oral']>['supplementaries'] = [];
  if (rng.chance(0.45)) {
    const others = members.filter((m) => m.person !== asker.person);
    const by = rng.chance(0.65) || others.length === 0 ? asker : rng.pick(others);
    const tone: Tone = by.group === GOVERNING_GROUP ? (rng.chance(0.7) ? 'friendly' : 'neutral') : rng.chance(0.65) ? 'press' : 'neutral';
    const pair = rng.pick(SUPPLEMENTARIES[tone].filter((p) => fitsSubject(p.q, choice.subject) && fitsSubject(p.a, choice.subject)));
    supplementaries.push({
      asker: by.person,
      turns: [
        { speaker: by.person, text: finalise(renderTemplate(pair.q, ctx, rng), 'question') },
        { speaker: mayor, text: finalise(renderTemplate(pair.a, ctx, rng), 'answer') },
      ],
    });
  }
  return {
    reached: true,
    turns: [
      { speaker: asker.person, text: spokenQuestion },
      { speaker: mayor, text: reply },
    ],
    supplementaries,
  };
}
