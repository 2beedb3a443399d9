// People and organisations named by an import, found by their source identifiers or created once (never duplicated).
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PartyRef } from './import-model.ts';
import { slugFor } from './import-model.ts';

export const partyKey = (ref: { source: string; sourceId: string }) => `${ref.source}\u0000${ref.sourceId}`;

/** 'member:4679' → 'Member 4679': a readable stand-in when the source gives an id and no name. */
export function fallbackName(prefix: string, sourceId: string): string {
  const tail = sourceId.split(/[:/]/).pop() || sourceId;
  return `${prefix} ${tail}`;
}

type Table = 'people' | 'organisations';

function groupBySource(refs: Iterable<PartyRef>): Map<string, Map<string, PartyRef>> {
  const bySource = new Map<string, Map<string, PartyRef>>();
  for (const ref of refs) {
    let ids = bySource.get(ref.source);
    if (!ids) bySource.set(ref.source, (ids = new Map<string, PartyRef>()));
    if (!ids.has(ref.sourceId) || ref.name) ids.set(ref.sourceId, ref);
  }
  return bySource;
}

async function existing(trx: Db, table: Table, source: string, ids: string[], into: Map<string, number>): Promise<void> {
  if (ids.length === 0) return;
  const rows = await trx.selectFrom(table).select(['id', 'source_id']).where('source', '=', source).where('source_id', '=', sql<string>`ANY(${ids}::text[])`).execute();
  for (const row of rows) into.set(partyKey({ source, sourceId: row.source_id ?? '' }), row.id);
}

/**
 * The ids of the given people or organisations, creating those not yet known. A slug already taken by someone else
 * gets the source's name appended (so a Commons "Ministry of Justice" never merges with a local body of that name).
 */
export async function ensureParties(
  trx: Db,
  table: Table,
  refs: Iterable<PartyRef & { slug?: string }>,
  describe: { prefix: string; classification?: 'assembly' | 'party_group' | 'executive' | 'functional_body' | 'other' },
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [source, bySourceId] of groupBySource(refs)) {
    await existing(trx, table, source, [...bySourceId.keys()], ids);
    for (const attempt of [0, 1]) {
      const missing = [...bySourceId.values()].filter((ref) => !ids.has(partyKey(ref)));
      if (missing.length === 0) break;
      const rows = missing.map((ref) => {
        const name = ref.name ?? fallbackName(describe.prefix, ref.sourceId);
        const tail = ref.sourceId.split(/[:/]/).pop() ?? ref.sourceId;
        const slug = (ref as { slug?: string }).slug ?? slugFor(describe.prefix.toLowerCase(), ref.name, ref.name ? '' : tail);
        const finalSlug = attempt === 0 ? slug : `${slug}-${slugFor('source', source, ref.sourceId)}`.slice(0, 120).replace(/-+$/, '');
        return { name, slug: finalSlug, source, source_id: ref.sourceId };
      });
      if (table === 'people') {
        await trx.insertInto('people').values(rows).onConflict((oc) => oc.doNothing()).execute();
      } else {
        await trx
          .insertInto('organisations')
          .values(rows.map((row) => ({ ...row, classification: describe.classification ?? 'other' })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await existing(trx, table, source, missing.map((ref) => ref.sourceId), ids);
    }
    const stillMissing = [...bySourceId.values()].find((ref) => !ids.has(partyKey(ref)));
    if (stillMissing) throw new Error(`Could not create ${table} ${stillMissing.source}/${stillMissing.sourceId}`);
  }
  return ids;
}
