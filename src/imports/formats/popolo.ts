// Popolo people, organisations and memberships (a `{ persons, organizations, memberships }` object, or a bare list
// of memberships), matched by their Popolo ids so a re-import updates rather than duplicates.
import type { Db } from '../../db/database.ts';
import { cleanText, dayOf, idOf, RecordProblem } from '../import-model.ts';
import { ensureParties, fallbackName, partyKey } from '../parties.ts';
import type { Skipped } from '../question-writer.ts';
import { importProblem, jsonArrayRecords, type SourceFile } from '../source.ts';

export const POPOLO_SOURCE = 'popolo';
const BATCH = 500;
const ROLES = ['member', 'leader', 'mayor', 'deputy_mayor', 'commissioner', 'chair', 'officer'] as const;
const CLASSIFICATIONS = ['assembly', 'party_group', 'executive', 'functional_body', 'other'] as const;
type Role = (typeof ROLES)[number];
type Classification = (typeof CLASSIFICATIONS)[number];

interface Person { sourceId: string; name: string; givenName: string | null; familyName: string | null }
interface Org { sourceId: string; name: string; classification: Classification; foundedOn: string | null; dissolvedOn: string | null }
interface Membership { sourceId: string; person: string; organisation: string; role: Role; label: string | null; startDate: string; endDate: string | null }

type Entity = { kind: 'person'; value: Person } | { kind: 'organisation'; value: Org } | { kind: 'membership'; value: Membership };

interface Context {
  strict: boolean;
  onProgress?: (done: number, total: number) => void;
  startRun: (db: Db, format: 'popolo', name: string) => Promise<number>;
  finishRun: (db: Db, runId: number, state: 'finished' | 'failed', summary: Summary, message: string | null) => Promise<void>;
}
interface Summary { records: number; created: number; updated: number; unchanged: number; skipped: number; problems: Skipped[] }

const obj = (value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordProblem('not an object');
  return value as Record<string, unknown>;
};
const openEnded = (day: string | null) => (day && day >= '9999-01-01' ? null : day);

function mapPerson(raw: unknown): Person {
  const p = obj(raw);
  return {
    sourceId: idOf(p.id, 'id'),
    name: cleanText(p.name, 'name', { required: true, max: 200 }),
    givenName: cleanText(p.given_name, 'given_name', { required: false, max: 200 }) || null,
    familyName: cleanText(p.family_name, 'family_name', { required: false, max: 200 }) || null,
  };
}

function mapOrg(raw: unknown): Org {
  const o = obj(raw);
  const classification = CLASSIFICATIONS.find((c) => c === (typeof o.classification === 'string' ? o.classification : '').toLowerCase().replace(/ /g, '_')) ?? 'other';
  const foundedOn = dayOf(o.founding_date, 'founding_date');
  const dissolvedOn = openEnded(dayOf(o.dissolution_date, 'dissolution_date'));
  if (foundedOn && dissolvedOn && dissolvedOn < foundedOn) throw new RecordProblem('dissolved before it was founded');
  return { sourceId: idOf(o.id, 'id'), name: cleanText(o.name, 'name', { required: true, max: 200 }), classification, foundedOn, dissolvedOn };
}

function mapMembership(raw: unknown): Membership {
  const m = obj(raw);
  const people = Array.isArray(m.person_id) ? m.person_id : [m.person_id];
  if (people.length !== 1) throw new RecordProblem(`names ${people.length} people (person_id)`);
  const person = idOf(people[0], 'person_id');
  const organisation = idOf(m.organization_id, 'organization_id');
  const startDate = dayOf(m.start_date, 'start_date', true) as string;
  const endDate = openEnded(dayOf(m.end_date, 'end_date'));
  if (endDate && endDate < startDate) throw new RecordProblem(`ends ${endDate} before it starts (${startDate})`);
  const roleText = cleanText(m.role, 'role', { required: false, max: 300 });
  const role = ROLES.find((r) => r === roleText.toLowerCase().replace(/[ -]/g, '_')) ?? (roleText ? 'officer' : 'member');
  const label = cleanText(m.label, 'label', { required: false, max: 300 }) || (role === 'officer' ? roleText : '') || null;
  const sourceId = m.id === undefined || m.id === null ? `${person}|${organisation}|${startDate}|${roleText}` : idOf(m.id, 'id');
  return { sourceId, person, organisation, role, label, startDate, endDate };
}

async function* entities(file: string): AsyncGenerator<{ position: string; entity?: Entity; problem?: string }> {
  const lists: [string, Entity['kind'], (raw: unknown) => Person | Org | Membership][] = [
    ['persons', 'person', mapPerson],
    ['organizations', 'organisation', mapOrg],
    ['memberships', 'membership', mapMembership],
  ];
  for (const [key, kind, map] of lists) {
    try {
      for await (const record of jsonArrayRecords(file, key)) {
        const position = record.where.replace('record', key.replace(/s$/, ''));
        try {
          yield { position, entity: { kind, value: map(record.value) } as Entity };
        } catch (error) {
          if (!(error instanceof RecordProblem)) throw error;
          yield { position, problem: error.message };
        }
      }
    } catch (error) {
      // A Popolo file may lack a kind of record altogether (ministers.json has no persons).
      if (error instanceof Error && error.message.includes(`has no "${key}" list`)) continue;
      throw error;
    }
  }
}

/** Records with their ids checked: an id seen earlier in the file is skipped (the first one counts). */
async function* popoloRecords(file: string): AsyncGenerator<{ position: string; entity?: Entity; problem?: string }> {
  const seen = new Map<string, string>();
  for await (const record of popoloShapes(file)) {
    if (record.entity) {
      const key = `${record.entity.kind}\u0000${record.entity.value.sourceId}`;
      const first = seen.get(key);
      if (first) {
        yield { position: record.position, problem: `repeats the id ${record.entity.value.sourceId} (first at ${first})` };
        continue;
      }
      seen.set(key, record.position);
    }
    yield record;
  }
}

/** Top-level shape: a bare list means memberships only. */
async function* popoloShapes(file: string) {
  const { default: fs } = await import('node:fs');
  const handle = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(64);
  await handle.read(head, 0, 64, 0);
  await handle.close();
  const first = head.toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '[') {
    for await (const record of jsonArrayRecords(file)) {
      const position = record.where.replace('record', 'membership');
      try {
        yield { position, entity: { kind: 'membership', value: mapMembership(record.value) } as Entity };
      } catch (error) {
        if (!(error instanceof RecordProblem)) throw error;
        yield { position, problem: error.message };
      }
    }
    return;
  }
  if (first !== '{') throw importProblem('The file is not JSON (Popolo is a JSON object of persons, organizations and memberships); nothing was imported.');
  yield* entities(file);
}

async function writeBatch(trx: Db, batch: Entity[], names: { people: Map<string, string>; orgs: Map<string, string> }, runId: number): Promise<{ created: number; updated: number; unchanged: number }> {
  const tally = { created: 0, updated: 0, unchanged: 0 };
  // Every created or changed record is audited as imported, in the batch's transaction.
  const audit: { type: 'person' | 'organisation' | 'membership'; id: number; created: boolean }[] = [];
  const people = batch.flatMap((e) => (e.kind === 'person' ? [e.value] : []));
  const orgs = batch.flatMap((e) => (e.kind === 'organisation' ? [e.value] : []));
  const memberships = batch.flatMap((e) => (e.kind === 'membership' ? [e.value] : []));
  const src = POPOLO_SOURCE;
  if (people.length > 0) {
    const stored = new Map((await trx.selectFrom('people').select(['id', 'source_id', 'name', 'given_name', 'family_name']).where('source', '=', src).where('source_id', 'in', people.map((p) => p.sourceId)).execute()).map((r) => [r.source_id, r]));
    const newIds = await ensureParties(trx, 'people', people.filter((p) => !stored.has(p.sourceId)).map((p) => ({ source: src, sourceId: p.sourceId, name: p.name })), { prefix: 'Person' });
    for (const p of people) {
      const row = stored.get(p.sourceId);
      if (!row) {
        tally.created += 1;
        audit.push({ type: 'person', id: newIds.get(partyKey({ source: src, sourceId: p.sourceId })) as number, created: true });
        await trx.updateTable('people').set({ given_name: p.givenName, family_name: p.familyName }).where('source', '=', src).where('source_id', '=', p.sourceId).execute();
      } else if (row.name === p.name && row.given_name === p.givenName && row.family_name === p.familyName) tally.unchanged += 1;
      else {
        tally.updated += 1;
        audit.push({ type: 'person', id: row.id, created: false });
        await trx.updateTable('people').set({ name: p.name, given_name: p.givenName, family_name: p.familyName }).where('id', '=', row.id).execute();
      }
    }
  }
  if (orgs.length > 0) {
    const stored = new Map((await trx.selectFrom('organisations').select(['id', 'source_id', 'name', 'classification', 'founded_on', 'dissolved_on']).where('source', '=', src).where('source_id', 'in', orgs.map((o) => o.sourceId)).execute()).map((r) => [r.source_id, r]));
    for (const o of orgs) {
      const row = stored.get(o.sourceId);
      const values = { name: o.name, classification: o.classification, founded_on: o.foundedOn, dissolved_on: o.dissolvedOn };
      if (!row) {
        tally.created += 1;
        const made = await ensureParties(trx, 'organisations', [{ source: src, sourceId: o.sourceId, name: o.name }], { prefix: 'Organisation', classification: o.classification });
        audit.push({ type: 'organisation', id: made.get(partyKey({ source: src, sourceId: o.sourceId })) as number, created: true });
        await trx.updateTable('organisations').set(values).where('source', '=', src).where('source_id', '=', o.sourceId).execute();
      } else if (row.name === o.name && row.classification === o.classification && String(row.founded_on ?? '') === String(o.foundedOn ?? '') && String(row.dissolved_on ?? '') === String(o.dissolvedOn ?? '')) tally.unchanged += 1;
      else {
        tally.updated += 1;
        audit.push({ type: 'organisation', id: row.id, created: false });
        await trx.updateTable('organisations').set(values).where('id', '=', row.id).execute();
      }
    }
  }
  if (memberships.length > 0) {
    const personIds = await ensureParties(trx, 'people', memberships.map((m) => ({ source: src, sourceId: m.person, name: names.people.get(m.person) ?? fallbackName('Person', m.person) })), { prefix: 'Person' });
    const orgIds = await ensureParties(trx, 'organisations', memberships.map((m) => ({ source: src, sourceId: m.organisation, name: names.orgs.get(m.organisation) ?? m.organisation.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase()) })), { prefix: 'Organisation', classification: 'other' });
    const stored = new Map((await trx.selectFrom('memberships').selectAll().where('source', '=', src).where('source_id', 'in', memberships.map((m) => m.sourceId)).execute()).map((r) => [r.source_id, r]));
    const creates = [];
    for (const m of memberships) {
      const values = {
        person_id: personIds.get(partyKey({ source: src, sourceId: m.person })) as number,
        organisation_id: orgIds.get(partyKey({ source: src, sourceId: m.organisation })) as number,
        role: m.role,
        label: m.label,
        start_date: m.startDate,
        end_date: m.endDate,
      };
      const row = stored.get(m.sourceId);
      if (!row) creates.push({ ...values, source: src, source_id: m.sourceId });
      else if (row.person_id === values.person_id && row.organisation_id === values.organisation_id && row.role === values.role && row.label === values.label && String(row.start_date) === m.startDate && String(row.end_date ?? '') === String(m.endDate ?? '')) tally.unchanged += 1;
      else {
        tally.updated += 1;
        audit.push({ type: 'membership', id: row.id, created: false });
        await trx.updateTable('memberships').set(values).where('id', '=', row.id).execute();
      }
    }
    if (creates.length > 0) {
      const made = await trx.insertInto('memberships').values(creates).returning('id').execute();
      for (const row of made) audit.push({ type: 'membership', id: row.id, created: true });
    }
    tally.created += creates.length;
  }
  if (audit.length > 0) {
    await trx
      .insertInto('audit_events')
      .values(audit.map((a) => ({ actor_label: `import #${runId}`, action: `${a.type}.${a.created ? 'imported' : 'import_updated'}`, record_type: a.type, record_id: a.id, details: JSON.stringify({ import_run: runId, format: 'popolo' }) })))
      .execute();
  }
  return tally;
}

export async function importPopolo(db: Db, source: SourceFile, context: Context) {
  // First pass: check every record and learn the names memberships point at (few: one per person and body).
  const names = { people: new Map<string, string>(), orgs: new Map<string, string>() };
  const problems: Skipped[] = [];
  let total = 0;
  let invalid = 0;
  for await (const record of popoloRecords(source.path)) {
    total += 1;
    if (record.problem !== undefined) {
      invalid += 1;
      if (problems.length < 500) problems.push({ position: record.position, problem: record.problem });
    } else if (record.entity?.kind === 'person') names.people.set(record.entity.value.sourceId, record.entity.value.name);
    else if (record.entity?.kind === 'organisation') names.orgs.set(record.entity.value.sourceId, record.entity.value.name);
  }
  if (total === 0) throw importProblem(`${source.name} holds no Popolo persons, organizations or memberships; nothing was imported.`);
  if (context.strict && invalid > 0) {
    throw importProblem(`${invalid} invalid record${invalid === 1 ? '' : 's'} and --strict was given, so nothing was imported (${problems.slice(0, 3).map((p) => `${p.position}: ${p.problem}`).join('; ')}).`);
  }
  const runId = await context.startRun(db, 'popolo', source.name);
  const summary: Summary = { records: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, problems };
  summary.skipped = invalid;
  let batch: Entity[] = [];
  const flush = async () => {
    const pending = batch;
    batch = [];
    const tally = await db.transaction().execute((trx) => writeBatch(trx, pending, names, runId));
    summary.created += tally.created;
    summary.updated += tally.updated;
    summary.unchanged += tally.unchanged;
    context.onProgress?.(summary.records, total);
  };
  try {
    for await (const record of popoloRecords(source.path)) {
      summary.records += 1;
      if (!record.entity) continue;
      // Each kind goes in its own batches, so people and bodies exist before the memberships that name them.
      if (batch.length > 0 && (batch.length >= BATCH || batch[0]?.kind !== record.entity.kind)) await flush();
      batch.push(record.entity);
    }
    if (batch.length > 0) await flush();
  } catch (error) {
    await context.finishRun(db, runId, 'failed', summary, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
  await context.finishRun(db, runId, 'finished', summary, null);
  return { runId, ...summary };
}
