// Reads the demo assembly's files (and the composed questions), validates them and checks they agree with each other.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { projectPath } from '../config/paths.ts';
import { AppError } from '../errors/app-error.ts';
import { demoAssembly, demoQuestionFile, type DemoAssembly, type DemoQuestion } from './demo-format.ts';

const DATA_DIR = projectPath('src', 'demo', 'data');

export interface DemoData {
  assembly: DemoAssembly;
  /** Every question, hand-written files first (in file order), then the composed ones. */
  questions: DemoQuestion[];
}

function parseFile<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('demo_invalid', `Demo file ${path.basename(file)} is not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AppError('demo_invalid', `Demo file ${path.basename(file)} at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export async function readDemoData(dir = DATA_DIR): Promise<DemoData> {
  const assembly = parseFile(demoAssembly, path.join(dir, 'assembly.json'));
  const files = fs.readdirSync(dir).filter((f) => /^questions-[a-z0-9-]+\.json$/.test(f)).sort();
  const questions = files.flatMap((file) => parseFile(demoQuestionFile, path.join(dir, file)));
  const { composeQuestions } = await import('./compose.ts');
  questions.push(...composeQuestions(assembly));
  checkConsistency({ assembly, questions });
  return { assembly, questions };
}

/** Every slug and key a question names must exist, and askers must have sat in the assembly on the day. */
export function checkConsistency(data: DemoData): void {
  const people = new Set(data.assembly.people.map((p) => p.slug));
  const organisations = new Set(data.assembly.organisations.map((o) => o.slug));
  const topics = new Set(data.assembly.topics.map((t) => t.slug));
  const meetings = new Map(data.assembly.meetings.map((m) => [m.slug, m]));
  const keys = new Set<string>();
  const fail = (q: DemoQuestion, message: string): never => {
    throw new AppError('demo_invalid', `Demo question ${q.key}: ${message}`);
  };
  for (const q of data.questions) {
    if (keys.has(q.key)) fail(q, 'the key is used twice');
    keys.add(q.key);
    if (!people.has(q.asker)) fail(q, `unknown asker ${q.asker}`);
    if (!organisations.has(q.answeringBody)) fail(q, `unknown answering body ${q.answeringBody}`);
    const meeting = meetings.get(q.meeting);
    if (!meeting) fail(q, `unknown meeting ${q.meeting}`);
    for (const topic of q.topics) if (!topics.has(topic)) fail(q, `unknown topic ${topic}`);
    for (const answer of q.answers) if (!people.has(answer.by)) fail(q, `unknown answerer ${answer.by}`);
    const turns = [...(q.oral?.turns ?? []), ...(q.oral?.supplementaries ?? []).flatMap((s) => s.turns)];
    for (const turn of turns) if (!people.has(turn.speaker)) fail(q, `unknown speaker ${turn.speaker}`);
    for (const s of q.oral?.supplementaries ?? []) if (!people.has(s.asker)) fail(q, `unknown supplementary asker ${s.asker}`);
    if (meeting?.relative && (q.tabledOn || q.answers.length > 0 || q.withdrawnOn)) fail(q, 'questions at meetings placed relative to today cannot carry fixed dates');
    if (meeting?.date) {
      if (q.tabledOn && q.tabledOn > meeting.date) fail(q, `tabled on ${q.tabledOn}, after its meeting on ${meeting.date}`);
      let previous = meeting.date;
      for (const answer of q.answers) {
        if (answer.publishedOn < previous) fail(q, `answer published on ${answer.publishedOn} before ${previous}`);
        previous = answer.publishedOn;
      }
      const seat = data.assembly.memberships.find(
        (m) => m.person === q.asker && m.organisation === data.assembly.assembly.slug && m.role === 'member' && m.startDate <= meeting.date! && (!m.endDate || m.endDate >= meeting.date!),
      );
      if (!seat) fail(q, `${q.asker} was not a member of the assembly on ${meeting.date}`);
    }
    if (q.state === 'answered' && q.answers.length === 0 && !(q.oral?.reached && q.oral.turns.length > 0)) fail(q, 'answered, but has no answer');
    if (q.state !== 'answered' && q.answers.some((a) => a.kind !== 'holding')) fail(q, `state ${q.state}, but has a substantive answer`);
    if (q.answers.some((a) => a.kind === 'correction') && !q.answers.some((a) => a.kind === 'substantive')) fail(q, 'a correction with nothing to correct');
  }
  for (const q of data.questions) {
    if (q.followUpOf && !keys.has(q.followUpOf)) fail(q, `follows up unknown question ${q.followUpOf}`);
  }
}
