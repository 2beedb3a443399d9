// Reads people and their dated memberships: who sat in the assembly, in which group, and who held executive office.
import type { Db } from '../db/database.ts';
import type { MembershipEndReason, MembershipRole, OrganisationClassification } from '../db/schema.ts';

export interface MembershipRow {
  personId: number;
  organisationId: number;
  organisationSlug: string;
  organisationName: string;
  organisationShortName: string | null;
  classification: OrganisationClassification;
  role: MembershipRole;
  label: string | null;
  startDate: string;
  endDate: string | null;
  endReason: MembershipEndReason | null;
}

export async function findPersonBySlug(db: Db, slug: string) {
  return db.selectFrom('people').select(['id', 'slug', 'name', 'given_name', 'family_name', 'biography']).where('slug', '=', slug).executeTakeFirst();
}

export async function membershipsOf(db: Db, personIds: readonly number[]): Promise<MembershipRow[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select([
      'memberships.person_id as personId',
      'organisations.id as organisationId',
      'organisations.slug as organisationSlug',
      'organisations.name as organisationName',
      'organisations.short_name as organisationShortName',
      'organisations.classification',
      'memberships.role',
      'memberships.label',
      'memberships.start_date as startDate',
      'memberships.end_date as endDate',
      'memberships.end_reason as endReason',
    ])
    .where('memberships.person_id', 'in', personIds)
    .orderBy('memberships.start_date')
    .orderBy('memberships.id')
    .execute();
}

/** True when the dated term covers the day (terms include their first and last days). */
export function coversDate(membership: Pick<MembershipRow, 'startDate' | 'endDate'>, date: string): boolean {
  return membership.startDate <= date && (membership.endDate === null || membership.endDate >= date);
}

/** The party group a person belonged to on a day, if any. */
export function partyGroupOn(memberships: readonly MembershipRow[], personId: number, date: string): MembershipRow | undefined {
  return memberships.find(
    (m) => m.personId === personId && m.classification === 'party_group' && m.role === 'member' && coversDate(m, date),
  );
}

export interface MemberListEntry {
  slug: string;
  name: string;
  groupSlug: string | null;
  groupName: string | null;
}

/** Members of the assembly on a day, with their party group then, ordered by family name. */
export async function assemblyMembersOn(db: Db, date: string): Promise<MemberListEntry[]> {
  const rows = await db
    .selectFrom('memberships as seat')
    .innerJoin('organisations as assembly', 'assembly.id', 'seat.organisation_id')
    .innerJoin('people', 'people.id', 'seat.person_id')
    .leftJoin('memberships as party', (join) =>
      join
        .onRef('party.person_id', '=', 'seat.person_id')
        .on('party.role', '=', 'member')
        .on('party.start_date', '<=', date)
        .on((eb) => eb.or([eb('party.end_date', 'is', null), eb('party.end_date', '>=', date)]))
        .on((eb) => eb.exists(eb.selectFrom('organisations as g').select('g.id').whereRef('g.id', '=', 'party.organisation_id').where('g.classification', '=', 'party_group'))),
    )
    .leftJoin('organisations as grp', 'grp.id', 'party.organisation_id')
    .select(['people.slug', 'people.name', 'people.family_name', 'grp.slug as groupSlug', 'grp.name as groupName'])
    .where('assembly.classification', '=', 'assembly')
    .where('seat.role', '=', 'member')
    .where('seat.start_date', '<=', date)
    .where((eb) => eb.or([eb('seat.end_date', 'is', null), eb('seat.end_date', '>=', date)]))
    .orderBy('people.family_name')
    .orderBy('people.name')
    .execute();
  return rows.map(({ slug, name, groupSlug, groupName }) => ({ slug, name, groupSlug, groupName }));
}

/** Everyone who has ever sat in the assembly, most recent term first. */
export async function allAssemblyMembers(db: Db) {
  return db
    .selectFrom('memberships as seat')
    .innerJoin('organisations as assembly', 'assembly.id', 'seat.organisation_id')
    .innerJoin('people', 'people.id', 'seat.person_id')
    .select(['people.id', 'people.slug', 'people.name', 'people.family_name', 'seat.start_date as startDate', 'seat.end_date as endDate'])
    .where('assembly.classification', '=', 'assembly')
    .where('seat.role', '=', 'member')
    .orderBy('people.family_name')
    .execute();
}

/** Who held an executive role (mayor, deputy_mayor, commissioner) on a day. */
export async function officeHoldersOn(db: Db, role: MembershipRole, date: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select(['people.id', 'people.slug', 'people.name', 'memberships.label'])
    .where('memberships.role', '=', role)
    .where('memberships.start_date', '<=', date)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', date)]))
    .orderBy('memberships.start_date')
    .execute();
}
