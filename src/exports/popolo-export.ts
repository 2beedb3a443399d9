// People, organisations and memberships as one Popolo JSON document, streamed in keyset-paged batches.
import type { Db } from '../db/database.ts';

const day = (value: Date | string | null | undefined): string | undefined => (value === null || value === undefined ? undefined : value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

async function* pages<T extends { id: number }>(fetch: (after: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield* rows;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** `{ "persons": [...], "organizations": [...], "memberships": [...] }` with our slugs as Popolo ids (no e-mail addresses). */
export async function* popoloChunks(db: Db, batchSize = 1000): AsyncGenerator<string> {
  const section = async function* <T>(name: string, rows: AsyncIterable<T>, shape: (row: T) => Record<string, unknown>, first: boolean) {
    yield `${first ? '{' : ','}\n"${name}": [`;
    let n = 0;
    for await (const row of rows) yield `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(shape(row))}`;
    yield '\n]';
  };
  yield* section(
    'persons',
    pages((after) => db.selectFrom('people').select(['id', 'slug', 'name', 'given_name', 'family_name']).where('id', '>', after).orderBy('id').limit(batchSize).execute()),
    (p) => ({ id: p.slug, name: p.name, ...(p.given_name ? { given_name: p.given_name } : {}), ...(p.family_name ? { family_name: p.family_name } : {}) }),
    true,
  );
  yield* section(
    'organizations',
    pages((after) => db.selectFrom('organisations').select(['id', 'slug', 'name', 'classification', 'founded_on', 'dissolved_on']).where('id', '>', after).orderBy('id').limit(batchSize).execute()),
    (o) => ({ id: o.slug, name: o.name, classification: o.classification, ...(o.founded_on ? { founding_date: day(o.founded_on) } : {}), ...(o.dissolved_on ? { dissolution_date: day(o.dissolved_on) } : {}) }),
    false,
  );
  yield* section(
    'memberships',
    pages((after) =>
      db
        .selectFrom('memberships')
        .innerJoin('people', 'people.id', 'memberships.person_id')
        .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
        .select(['memberships.id', 'memberships.source_id', 'memberships.role', 'memberships.label', 'memberships.start_date', 'memberships.end_date', 'people.slug as person', 'organisations.slug as organisation'])
        .where('memberships.id', '>', after)
        .orderBy('memberships.id')
        .limit(batchSize)
        .execute(),
    ),
    (m) => ({
      id: m.source_id ?? `answerable/membership/${m.id}`,
      person_id: m.person,
      organization_id: m.organisation,
      role: m.role === 'officer' && m.label ? m.label : m.role,
      ...(m.label && m.role !== 'officer' ? { label: m.label } : {}),
      start_date: day(m.start_date),
      ...(m.end_date ? { end_date: day(m.end_date) } : {}),
    }),
    false,
  );
  yield '\n}\n';
}
