// What every page shows about the assembly itself: its name and, for the demo, the notice that it is fictional.
import type { Db } from '../db/database.ts';

export interface SiteInfo {
  name: string;
  notice: string | null;
  isDemo: boolean;
}

export async function loadSiteInfo(db: Db): Promise<SiteInfo> {
  const assembly = await db
    .selectFrom('organisations')
    .leftJoin('assembly_rules', 'assembly_rules.assembly_id', 'organisations.id')
    .select(['organisations.name', 'assembly_rules.notice'])
    .where('organisations.classification', '=', 'assembly')
    .orderBy('organisations.id')
    .executeTakeFirst();
  return { name: assembly?.name ?? 'Answerable', notice: assembly?.notice ?? null, isDemo: Boolean(assembly?.notice) };
}
