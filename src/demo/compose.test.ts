// Tests for the demo question composer: valid, deterministic, consistent with the assembly and its calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isWeekend } from '../calendar/iso-date.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import {
  BRIDGES,
  CLOSINGS,
  COMMON_FRAMES,
  DISTRICTS,
  FOLLOW_UP_LEADS,
  HOLDING_ANSWERS,
  LATE_APOLOGIES,
  MAYOR_CLOSES,
  MAYOR_LEADS,
  ORAL_LEADS,
  SUPPLEMENTARIES,
  TOPICS,
} from './compose-parts.ts';
import { composeQuestions, finalise, fitsSubject, framesFor, renderTemplate, Rng, subjectContext } from './compose.ts';
import { demoAssembly, demoQuestion, type DemoAssembly, type DemoQuestion } from './demo-format.ts';

const assembly: DemoAssembly = demoAssembly.parse(
  JSON.parse(readFileSync(new URL('./data/assembly.json', import.meta.url), 'utf8')),
);
const questions = composeQuestions(assembly);
const meetingDate = new Map(assembly.meetings.flatMap((m) => (m.date ? [[m.slug, m.date] as const] : [])));

function dateOf(q: DemoQuestion): string {
  const date = meetingDate.get(q.meeting);
  assert.ok(date, `${q.key}: meeting ${q.meeting} has no fixed date`);
  return date;
}

function covers(m: { startDate: string; endDate?: string | undefined }, date: string): boolean {
  return m.startDate <= date && (m.endDate === undefined || date <= m.endDate);
}

function isMemberOn(person: string, date: string): boolean {
  return assembly.memberships.some(
    (m) => m.person === person && m.organisation === assembly.assembly.slug && m.role === 'member' && covers(m, date),
  );
}

function mayorOn(date: string): string | undefined {
  return assembly.memberships.find((m) => m.role === 'mayor' && covers(m, date))?.person;
}

/** A slot, body marker or missing value left in composed text. */
function leftover(text: string): boolean {
  return /[{}]|undefined|NaN/.test(text) || text.includes(String.fromCharCode(1)) || text.includes(String.fromCharCode(2));
}

function allTexts(q: DemoQuestion): string[] {
  return [
    q.title,
    q.text,
    ...q.answers.map((a) => a.text),
    ...(q.oral?.turns ?? []).map((t) => t.text),
    ...(q.oral?.supplementaries ?? []).flatMap((s) => s.turns.map((t) => t.text)),
  ];
}

test('composes 280 questions by default, each valid against the demo format', () => {
  assert.equal(questions.length, 280);
  for (const q of questions) {
    const parsed = demoQuestion.safeParse(q);
    assert.ok(parsed.success, `${q.key}: ${parsed.success ? '' : parsed.error.message}`);
    assert.deepEqual(parsed.data, q, `${q.key}: parsing changed the question`);
  }
});

test('is deterministic for a seed and differs between seeds', () => {
  assert.deepEqual(composeQuestions(assembly, { seed: 2009 }), questions);
  assert.deepEqual(composeQuestions(assembly, { seed: 77 }), composeQuestions(assembly, { seed: 77 }));
  assert.notDeepEqual(composeQuestions(assembly, { seed: 77 }), questions);
});

test('honours count', () => {
  assert.equal(composeQuestions(assembly, { count: 0 }).length, 0);
  assert.equal(composeQuestions(assembly, { count: 25 }).length, 25);
  assert.equal(composeQuestions(assembly, { count: 400, seed: 5 }).length, 400);
});

test('keys run gen-0001 upwards; titles and substantive answers are all distinct', () => {
  questions.forEach((q, i) => assert.equal(q.key, `gen-${String(i + 1).padStart(4, '0')}`));
  const titles = questions.map((q) => q.title.toLowerCase());
  assert.equal(new Set(titles).size, titles.length, 'duplicate titles');
  const answers = questions.flatMap((q) => q.answers.filter((a) => a.kind === 'substantive').map((a) => a.text));
  assert.equal(new Set(answers).size, answers.length, 'duplicate answers');
  const oralReplies = questions.flatMap((q) => (q.oral?.turns ?? []).slice(1).map((t) => t.text));
  assert.equal(new Set(oralReplies).size, oralReplies.length, 'duplicate oral replies');
});

test('uses only the fixed-date MQT meetings of 2009 and 2010, and only known topics and bodies', () => {
  const topics = new Set(assembly.topics.map((t) => t.slug));
  const bodies = new Set(assembly.organisations.filter((o) => o.classification !== 'party_group' && o.classification !== 'assembly').map((o) => o.slug));
  for (const q of questions) {
    assert.match(q.meeting, /^mqt-(2009|2010)-\d{2}-\d{2}$/);
    assert.equal(assembly.meetings.find((m) => m.slug === q.meeting)?.type, 'mqt');
    for (const t of q.topics) assert.ok(topics.has(t), `${q.key}: unknown topic ${t}`);
    assert.ok(bodies.has(q.answeringBody), `${q.key}: unknown body ${q.answeringBody}`);
  }
  assert.ok(new Set(questions.map((q) => q.meeting)).size >= 20, 'every 2009-2010 MQT has questions');
});

test('askers, supplementary askers and speakers were members (or the Mayor) on the meeting date', () => {
  for (const q of questions) {
    const date = dateOf(q);
    assert.ok(isMemberOn(q.asker, date), `${q.key}: ${q.asker} was not a member on ${date}`);
    const mayor = mayorOn(date);
    for (const turn of q.oral?.turns ?? []) assert.ok(turn.speaker === q.asker || turn.speaker === mayor, `${q.key}: stray speaker`);
    for (const sup of q.oral?.supplementaries ?? []) {
      assert.ok(isMemberOn(sup.asker, date), `${q.key}: supplementary by non-member ${sup.asker}`);
      for (const turn of sup.turns) assert.ok(turn.speaker === sup.asker || turn.speaker === mayor);
    }
  }
  // Derek Osei left on 2010-03-31 and Alison Kerr joined on 2010-04-12: both appear, each only in their term.
  assert.ok(questions.some((q) => q.asker === 'alison-kerr'));
  assert.ok(questions.every((q) => q.asker !== 'alison-kerr' || dateOf(q) >= '2010-04-12'));
  assert.ok(questions.every((q) => q.asker !== 'derek-osei' || dateOf(q) <= '2010-03-31'));
});

test('dates are consistent: tabled on a weekday before the meeting, answers after it, versions in order', () => {
  for (const q of questions) {
    const date = dateOf(q);
    assert.ok(q.tabledOn, `${q.key}: no tabled date`);
    const before = (Date.parse(date) - Date.parse(q.tabledOn)) / 86_400_000;
    assert.ok(before >= 6 && before <= 14, `${q.key}: tabled ${before} days before the meeting`);
    assert.ok(!isWeekend(q.tabledOn), `${q.key}: tabled at a weekend`);
    let previous = date;
    for (const answer of q.answers) {
      assert.ok(answer.publishedOn > previous, `${q.key}: answer versions out of order`);
      assert.equal(answer.by, mayorOn(answer.publishedOn), `${q.key}: answered by someone other than the Mayor`);
      previous = answer.publishedOn;
    }
    if (q.withdrawnOn !== undefined) {
      assert.ok(q.tabledOn < q.withdrawnOn && q.withdrawnOn <= date, `${q.key}: withdrawn on ${q.withdrawnOn}`);
    }
  }
});

test('every state and answer history is represented, in roughly the intended shares', () => {
  const count = (p: (q: DemoQuestion) => boolean): number => questions.filter(p).length;
  const substantive = (q: DemoQuestion) => q.answers.find((a) => a.kind === 'substantive');
  const workingDaysLate = (q: DemoQuestion): number => workingDaysBetween(dateOf(q), substantive(q)?.publishedOn ?? dateOf(q));

  const withdrawn = questions.filter((q) => q.state === 'withdrawn');
  const awaiting = questions.filter((q) => q.state === 'awaiting');
  assert.ok(withdrawn.length >= 1 && withdrawn.every((q) => q.answers.length === 0 && q.withdrawnOn));
  assert.ok(awaiting.length >= 1 && awaiting.every((q) => q.answers.length === 0 && dateOf(q).startsWith('2010')));
  assert.ok(count((q) => q.answers[0]?.kind === 'holding' && q.answers[1]?.kind === 'substantive') >= 5);
  const late = count((q) => q.answers.length === 1 && workingDaysLate(q) >= 10);
  assert.ok(late >= 20 && late <= 36, `late: ${late}`);
  for (const q of questions.filter((x) => x.answers.length === 1)) {
    const days = workingDaysLate(q);
    assert.ok((days >= 1 && days <= 6) || (days >= 10 && days <= 40), `${q.key}: answered ${days} working days after`);
  }

  const orals = questions.filter((q) => q.type === 'oral');
  assert.ok(orals.length >= 50 && orals.length <= 62, `orals: ${orals.length}`);
  const reached = orals.filter((q) => q.oral?.reached);
  assert.ok(reached.length > 0 && reached.length < orals.length);
  for (const q of reached) {
    assert.equal(q.state, 'answered');
    assert.equal(q.answers.length, 0, `${q.key}: a reached oral has written answers`);
    assert.equal(q.oral?.turns.length, 2);
  }
  assert.ok(reached.some((q) => (q.oral?.supplementaries.length ?? 0) > 0), 'some supplementaries');
  for (const q of orals.filter((x) => !x.oral?.reached)) assert.ok(q.answers.length > 0, `${q.key}: unreached oral without an answer`);
  assert.ok(count((q) => q.followUpOf !== undefined) >= 3, 'some follow-ups');
  for (const q of questions.filter((x) => x.followUpOf)) {
    const prior = questions.find((p) => p.key === q.followUpOf);
    assert.ok(prior && prior.asker === q.asker && dateOf(prior) < dateOf(q), `${q.key}: bad follow-up`);
  }
});

test('no template slot or body marker is left in any text', () => {
  for (const q of questions) {
    for (const text of allTexts(q)) {
      assert.ok(!leftover(text), `${q.key}: ${text}`);
      assert.doesNotMatch(text, / {2}|\s[,.]/, `${q.key}: stray spacing in "${text}"`);
    }
  }
});

test('the written material is complete and every part renders for every subject it fits', () => {
  const topics = new Set(assembly.topics.map((t) => t.slug));
  const ids = new Set<string>();
  const labels = new Set<string>();
  for (const topic of TOPICS) {
    assert.ok(topics.has(topic.topic), `unknown topic ${topic.topic}`);
    assert.ok(topic.subjects.length >= 10, `${topic.topic}: only ${topic.subjects.length} subjects`);
    for (const subject of topic.subjects) {
      assert.ok(!ids.has(subject.id), `duplicate subject ${subject.id}`);
      assert.ok(!labels.has(subject.label), `duplicate label ${subject.label}`);
      ids.add(subject.id);
      labels.add(subject.label);
      assert.ok((DISTRICTS as readonly string[]).includes(subject.district));
      for (const t of subject.also ?? []) assert.ok(topics.has(t), `${subject.id}: unknown topic ${t}`);
      if (subject.kind === 'project') assert.ok(subject.cost && subject.due, `${subject.id}: a project needs cost and due`);
      if (subject.kind === 'team' || subject.kind === 'scheme') assert.ok(subject.budget, `${subject.id}: needs a budget`);

      for (const date of ['2009-01-21', '2010-11-17']) {
        const ctx = subjectContext(subject, date);
        const rng = new Rng(1);
        const frames = framesFor(topic, subject);
        assert.ok(frames.length >= 4, `${subject.id}: only ${frames.length} frames fit`);
        const parts = [
          ...frames.flatMap((f) => [...f.texts, ...f.openings, ...(f.closings ?? [])]),
          ...BRIDGES[subject.kind],
          ...subject.facts,
          ...topic.middles,
          ...Object.values(CLOSINGS).flat(),
          ...Object.values(SUPPLEMENTARIES).flatMap((pairs) => pairs.flatMap((p) => [p.q, p.a])),
          ...FOLLOW_UP_LEADS,
          ...ORAL_LEADS,
          ...MAYOR_LEADS,
          ...MAYOR_CLOSES,
          ...HOLDING_ANSWERS,
          ...LATE_APOLOGIES,
        ];
        for (const part of parts.filter((p) => fitsSubject(p, subject))) {
          const text = finalise(renderTemplate(part, ctx, rng), 'answer');
          assert.ok(!leftover(text), `${subject.id}: ${text}`);
        }
      }
    }
  }
  // Every pool a composed answer draws from keeps a choice for a city-wide subject answered by the Mayor's office.
  const cityWideOffice = TOPICS.flatMap((t) => t.subjects).find((x) => x.district === 'Wexbridge' && x.body === 'mayors-office');
  assert.ok(cityWideOffice);
  for (const pool of [...Object.values(CLOSINGS), ...Object.values(BRIDGES), ORAL_LEADS]) {
    assert.ok(pool.some((part) => fitsSubject(part, cityWideOffice)), `no usable part in ${JSON.stringify(pool[0])}`);
  }
  for (const tone of Object.values(SUPPLEMENTARIES)) assert.ok(tone.some((p) => fitsSubject(p.q, cityWideOffice) && fitsSubject(p.a, cityWideOffice)));
  for (const frame of [...COMMON_FRAMES, ...TOPICS.flatMap((t) => t.frames)]) {
    assert.ok(frame.texts.length > 0 && frame.openings.length > 0, `${frame.id}: needs texts and openings`);
    for (const only of frame.only ?? []) assert.ok(ids.has(only), `${frame.id}: unknown subject ${only}`);
  }
});
