// A seeded, realistic corpus for the benchmarks: words and phrases from real written questions (a bigram chain
// trained on ../shared/data), an assembly of members in party groups over 26 years, ten meetings a year, states.
import fs from 'node:fs';
import path from 'node:path';
import { addDays } from '../../../src/calendar/iso-date.ts';
import { addWorkingDays } from '../../../src/calendar/working-days.ts';

export const REAL_DATA = path.resolve(import.meta.dirname, '../../../../shared/data/uk-parliament-written-questions/commons-2023-12.json');

/** mulberry32: small, fast and seeded, so every engine sees the same corpus and queries. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

export interface Language {
  headings: string[];
  next: Map<string, string[]>;
  starts: string[];
  /** Lower-case words by frequency, most frequent first (stop words and short words left out). */
  words: string[];
  bigrams: [string, string][];
}

const STOP = new Set('the of and to in for a an on by with his her their what how many which that this is are was were be has have had from at as or not it its will any each such other whether has been what steps make assessment secretary state department ask'.split(' '));

export function readLanguage(file = REAL_DATA): Language | null {
  if (!fs.existsSync(file)) return null;
  const records = JSON.parse(fs.readFileSync(file, 'utf8')) as { value: { heading?: string; questionText?: string; answerText?: string } }[];
  const next = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const bigramCounts = new Map<string, number>();
  const starts: string[] = [];
  const headings: string[] = [];
  for (const { value } of records) {
    if (value.heading) headings.push(value.heading);
    for (const text of [value.questionText, value.answerText]) {
      if (!text) continue;
      const tokens = text.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/g, ' ').split(/\s+/).filter(Boolean);
      if (tokens[0]) starts.push(tokens[0]);
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i]!;
        const following = tokens[i + 1];
        if (following) {
          let list = next.get(token);
          if (!list) next.set(token, (list = []));
          list.push(following);
        }
        const word = token.toLowerCase().replace(/[^a-z]/g, '');
        if (word.length >= 4 && !STOP.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
        const w2 = following?.toLowerCase().replace(/[^a-z]/g, '');
        if (w2 && word.length >= 4 && w2.length >= 4 && /^[a-z]+$/i.test(token) && /^[a-z]+$/i.test(following ?? '')) {
          const key = `${word} ${w2}`;
          bigramCounts.set(key, (bigramCounts.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const bigrams = [...bigramCounts.entries()]
    .filter(([, n]) => n >= 3)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k.split(' ') as [string, string]);
  return { headings, next, starts, words, bigrams };
}

export function sentence(lang: Language, rng: () => number, min: number, max: number): string {
  const length = min + Math.floor(rng() * (max - min));
  const out: string[] = [];
  let token = pick(rng, lang.starts);
  while (out.length < length) {
    out.push(token);
    const options = lang.next.get(token);
    token = options ? pick(rng, options) : pick(rng, lang.starts);
  }
  return out.join(' ');
}

export interface World {
  groups: { id: number; slug: string; name: string }[];
  bodies: { id: number; slug: string; name: string }[];
  people: { id: number; slug: string; name: string; groupId: number; from: number; to: number }[];
  mayorId: number;
  meetings: { id: number; slug: string; title: string; meetsOn: string; dueOn: string }[];
  topics: { id: number; slug: string; name: string }[];
}

const FIRST = ['Alex', 'Sam', 'Jo', 'Priya', 'Tom', 'Aisha', 'Ben', 'Chloe', 'Dev', 'Ella', 'Femi', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kemi', 'Liam', 'Maya', 'Nadia', 'Owen'];
const LAST = ['Shah', 'Jones', 'Okafor', 'Smith', 'Patel', 'Brown', 'Clarke', 'Evans', 'Hughes', 'Khan', 'Lewis', 'Murphy', 'Noble', 'Price', 'Reid', 'Taylor'];

/** Ids are assigned in insertion order (1, 2, ...): organisations are groups then bodies then the assembly. */
export function makeWorld(rng: () => number, firstYear = 2000, lastYear = 2025): World {
  const groups = ['Labour', 'Conservative', 'Liberal Democrat', 'Green', 'Reform', 'Independent'].map((n, i) => ({ id: i + 1, slug: `${n.toLowerCase().replace(/ /g, '-')}-group`, name: `${n} Group` }));
  const bodies = ['Transport for Wexbridge', 'Wexbridge Police Service', 'Fire Brigade', 'Housing Directorate', 'Environment Agency', 'Culture Office', 'Economic Development', 'Finance Directorate'].map((n, i) => ({
    id: groups.length + i + 1,
    slug: n.toLowerCase().replace(/ /g, '-'),
    name: n,
  }));
  const people: World['people'] = [];
  for (let i = 0; i < 90; i++) {
    const from = firstYear + Math.floor(rng() * (lastYear - firstYear));
    const to = Math.min(lastYear, from + 4 + Math.floor(rng() * 12));
    const name = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
    people.push({ id: i + 1, slug: `${name.toLowerCase().replace(/ /g, '-')}-${i + 1}`, name, groupId: groups[Math.floor(rng() ** 1.6 * groups.length)]!.id, from, to });
  }
  const mayorId = people.length + 1;
  const meetings: World['meetings'] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (let m = 0; m < 10; m++) {
      let day = addDays(`${year}-01-15`, m * 35);
      while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 3) day = addDays(day, 1);
      meetings.push({ id: meetings.length + 1, slug: `mqt-${day}`, title: `Mayor's Question Time ${day}`, meetsOn: day, dueOn: addWorkingDays(day, 3) });
    }
  }
  const topics = ['Housing', 'Transport', 'Policing', 'Fire', 'Environment', 'Budget', 'Culture', 'Health', 'Planning', 'Economy', 'Air quality', 'Cycling', 'Buses', 'Schools', 'Youth', 'Crime', 'Energy', 'Waste', 'Water', 'Olympics']
    .map((n, i) => ({ id: i + 1, slug: n.toLowerCase().replace(/ /g, '-'), name: n }));
  return { groups, bodies, people, mayorId, meetings, topics };
}

export interface QuestionRow {
  id: number;
  year: number;
  number: number;
  type: 'written' | 'oral';
  state: 'accepted' | 'withdrawn';
  title: string;
  body: string;
  askerId: number;
  groupId: number;
  bodyId: number;
  meetingId: number;
  askedOn: string;
  dueOn: string | null;
  answers: { version: number; kind: 'holding' | 'substantive'; body: string; publishedAt: string }[];
  topicIds: number[];
}

/** The questions, oldest first, `size` in all, spread over the meetings; deterministic for a seed. */
export function* questionRows(world: World, lang: Language, size: number, seed: number): Generator<QuestionRow> {
  const rng = seeded(seed);
  const perMeeting = size / world.meetings.length;
  const numberByYear = new Map<number, number>();
  let id = 0;
  for (let mi = 0; mi < world.meetings.length; mi++) {
    const meeting = world.meetings[mi]!;
    const year = Number(meeting.meetsOn.slice(0, 4));
    const recent = mi >= world.meetings.length - 2;
    const askers = world.people.filter((p) => p.from <= year && p.to >= year);
    const count = Math.round((mi + 1) * perMeeting) - id;
    for (let k = 0; k < count; k++) {
      id++;
      const number = (numberByYear.get(year) ?? 0) + 1;
      numberByYear.set(year, number);
      // A few members ask most of the questions.
      const asker = askers[Math.floor(rng() ** 2 * askers.length)] ?? world.people[0]!;
      const type = rng() < 0.15 ? 'oral' : 'written';
      const state = rng() < 0.02 ? 'withdrawn' : 'accepted';
      const roll = rng();
      const answers: QuestionRow['answers'] = [];
      const answered = state === 'accepted' && (recent ? roll < 0.3 : roll < 0.97);
      const holding = state === 'accepted' && (recent ? roll >= 0.3 && roll < 0.5 : roll >= 0.97 && roll < 0.985) ;
      if (holding || (answered && rng() < 0.05)) answers.push({ version: 1, kind: 'holding', body: sentence(lang, rng, 10, 30), publishedAt: `${addDays(meeting.meetsOn, 4)}T10:00:00Z` });
      if (answered) answers.push({ version: answers.length + 1, kind: 'substantive', body: sentence(lang, rng, 30, 150), publishedAt: `${addDays(meeting.meetsOn, 2 + Math.floor(rng() * 30))}T10:00:00Z` });
      const topicIds = [...new Set(Array.from({ length: Math.floor(rng() * 3) }, () => pick(rng, world.topics).id))];
      yield {
        id,
        year,
        number,
        type,
        state,
        title: pick(rng, lang.headings).slice(0, 300),
        body: sentence(lang, rng, 20, 60),
        askerId: asker.id,
        groupId: asker.groupId,
        bodyId: pick(rng, world.bodies).id,
        meetingId: meeting.id,
        askedOn: meeting.meetsOn,
        dueOn: type === 'written' ? meeting.dueOn : null,
        answers,
        topicIds,
      };
    }
  }
}

export interface BenchQuery {
  kind: 'broad' | 'narrow' | 'phrase' | 'exclusion' | 'or';
  /** Web-search syntax, as a user types it. */
  text: string;
  /** The same in FTS5 syntax. */
  fts5: string;
}

const quote = (w: string) => `"${w}"`;

/** 200 queries: broad and narrow words, phrases, exclusions and OR, 40 of each. */
export function benchQueries(lang: Language, seed: number, n = 200): BenchQuery[] {
  const rng = seeded(seed);
  const common = lang.words.slice(0, 150);
  const rare = lang.words.slice(800, 4000);
  const out: BenchQuery[] = [];
  const kinds: BenchQuery['kind'][] = ['broad', 'narrow', 'phrase', 'exclusion', 'or'];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length]!;
    if (kind === 'broad') {
      const [a, b] = [pick(rng, common), pick(rng, common)];
      out.push({ kind, text: `${a} ${b}`, fts5: `${quote(a)} ${quote(b)}` });
    } else if (kind === 'narrow') {
      const words = [pick(rng, rare), pick(rng, rare), ...(rng() < 0.5 ? [pick(rng, common)] : [])];
      out.push({ kind, text: words.join(' '), fts5: words.map(quote).join(' ') });
    } else if (kind === 'phrase') {
      const [a, b] = pick(rng, lang.bigrams.slice(0, 2000));
      out.push({ kind, text: `"${a} ${b}"`, fts5: `"${a} ${b}"` });
    } else if (kind === 'exclusion') {
      const [a, b, c] = [pick(rng, common), pick(rng, lang.words.slice(100, 1500)), pick(rng, common)];
      out.push({ kind, text: `${a} ${b} -${c}`, fts5: `${quote(a)} ${quote(b)} NOT ${quote(c)}` });
    } else {
      const [a, b] = [pick(rng, lang.words.slice(200, 2000)), pick(rng, lang.words.slice(200, 2000))];
      out.push({ kind, text: `${a} OR ${b}`, fts5: `${quote(a)} OR ${quote(b)}` });
    }
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
