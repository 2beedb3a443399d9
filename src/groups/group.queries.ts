// Party groups: the groups, and each group's members with their dated terms in it.
import type { Db } from '../db/database.ts';

export async function partyGroups(db: Db, today: string) {
  const groups = await db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'short_name', 'founded_on', 'dissolved_on'])
    .where('classification', '=', 'party_group')
    .orderBy('name')
    .execute();
  const counts = await db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.organisation_id', (eb) => eb.fn.count<number>('memberships.person_id').distinct().as('members')])
    .where('organisations.classification', '=', 'party_group')
    .where('memberships.role', '=', 'member')
    .where('memberships.start_date', '<=', today)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', today)]))
    .groupBy('memberships.organisation_id')
    .execute();
  const current = new Map(counts.map((c) => [c.organisation_id, Number(c.members)]));
  return groups.map((g) => ({ ...g, currentMembers: current.get(g.id) ?? 0 }));
}

export async function findGroupBySlug(db: Db, slug: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'short_name', 'founded_on', 'dissolved_on'])
    .where('classification', '=', 'party_group')
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** Every term anyone has had in the group (member or leader), latest first within each person. */
export async function groupTerms(db: Db, organisationId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select([
      'people.slug',
      'people.name',
      'people.family_name',
      'memberships.role',
      'memberships.label',
      'memberships.start_date as startDate',
      'memberships.end_date as endDate',
      'memberships.end_reason as endReason',
    ])
    .where('memberships.organisation_id', '=', organisationId)
    .orderBy('people.family_name')
    .orderBy('people.name')
    .orderBy('memberships.start_date')
    .execute();
}
