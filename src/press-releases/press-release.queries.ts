// Reading press releases: the public ones (published, embargo ended, read against "now" every time, so nothing
// shows early and no job is needed), tombstones of unpublished ones, and each author's own list for the work pages.
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PressReleaseState } from '../db/schema.ts';

export interface ReleaseSummary {
  id: number;
  slug: string;
  headline: string;
  state: PressReleaseState;
  publishedAt: Date | null;
  embargoUntil: Date | null;
  unpublishedAt: Date | null;
  updatedAt: Date;
  author: { slug: string; name: string };
  group: { slug: string; name: string } | null;
  categories: { slug: string; name: string }[];
}

export interface ReleaseFilters {
  member?: string | undefined;
  group?: string | undefined;
  category?: string | undefined;
  /** London days, inclusive. */
  from?: Date | undefined;
  to?: Date | undefined;
}

function releases(db: Db) {
  return db
    .selectFrom('press_releases as r')
    .innerJoin('people as author', 'author.id', 'r.author_id')
    .leftJoin('organisations as grp', 'grp.id', 'r.party_group_id')
    .select([
      'r.id',
      'r.slug',
      'r.headline',
      'r.state',
      'r.published_at',
      'r.embargo_until',
      'r.unpublished_at',
      'r.updated_at',
      'author.slug as author_slug',
      'author.name as author_name',
      'grp.slug as group_slug',
      'grp.name as group_name',
    ]);
}
type ReleaseQuery = ReturnType<typeof releases>;

/** The one rule for "the public can see it": published or scheduled, and its publication moment has come. */
export function publicAt(query: ReleaseQuery, now: Date): ReleaseQuery {
  return query.where('r.state', 'in', ['published', 'scheduled']).where('r.published_at', '<=', now);
}

type Row = Awaited<ReturnType<ReturnType<typeof releases>['execute']>>[number];

async function withCategories(db: Db, rows: readonly Row[]): Promise<ReleaseSummary[]> {
  const categories =
    rows.length === 0
      ? []
      : await db
          .selectFrom('press_release_categories as rc')
          .innerJoin('press_categories as pc', 'pc.id', 'rc.category_id')
          .select(['rc.press_release_id', 'pc.slug', 'pc.name'])
          .where('rc.press_release_id', 'in', rows.map((r) => r.id))
          .orderBy('pc.name')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    headline: r.headline,
    state: r.state,
    publishedAt: r.published_at,
    embargoUntil: r.embargo_until,
    unpublishedAt: r.unpublished_at,
    updatedAt: r.updated_at,
    author: { slug: r.author_slug, name: r.author_name },
    group: r.group_slug && r.group_name ? { slug: r.group_slug, name: r.group_name } : null,
    categories: categories.filter((c) => c.press_release_id === r.id).map((c) => ({ slug: c.slug, name: c.name })),
  }));
}

function filtered(db: Db, now: Date, filters: ReleaseFilters): ReleaseQuery {
  let query = publicAt(releases(db), now);
  if (filters.member) query = query.where('author.slug', '=', filters.member);
  if (filters.group) query = query.where('grp.slug', '=', filters.group);
  if (filters.category) {
    const category = filters.category;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('press_release_categories as rc')
          .innerJoin('press_categories as pc', 'pc.id', 'rc.category_id')
          .select('rc.category_id')
          .whereRef('rc.press_release_id', '=', 'r.id')
          .where('pc.slug', '=', category),
      ) as Expression<SqlBool>,
    );
  }
  if (filters.from) query = query.where('r.published_at', '>=', filters.from);
  if (filters.to) query = query.where('r.published_at', '<', filters.to);
  return query;
}

/** A page of public releases, newest first, with one more looked up to know whether a next page exists. */
export async function publicReleases(db: Db, now: Date, filters: ReleaseFilters, page: { offset: number; limit: number }) {
  const rows = await filtered(db, now, filters).orderBy('r.published_at', 'desc').orderBy('r.id', 'desc').offset(page.offset).limit(page.limit + 1).execute();
  return { items: await withCategories(db, rows.slice(0, page.limit)), hasMore: rows.length > page.limit };
}

export async function countPublicReleases(db: Db, now: Date, filters: ReleaseFilters): Promise<number> {
  const row = await filtered(db, now, filters).clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface ReleaseDetail extends ReleaseSummary {
  bodyMarkdown: string;
  notesToEditors: string;
  unpublishReason: string | null;
  quotes: { position: number; text: string; person: { slug: string; name: string } }[];
}

async function detail(db: Db, row: Row | undefined): Promise<ReleaseDetail | undefined> {
  if (!row) return undefined;
  const [summary] = await withCategories(db, [row]);
  const extra = await db.selectFrom('press_releases').select(['body_markdown', 'notes_to_editors', 'unpublish_reason']).where('id', '=', row.id).executeTakeFirstOrThrow();
  const quotes = await db
    .selectFrom('press_release_quotes as q')
    .innerJoin('people', 'people.id', 'q.person_id')
    .select(['q.position', 'q.body', 'people.slug', 'people.name'])
    .where('q.press_release_id', '=', row.id)
    .orderBy('q.position')
    .execute();
  if (!summary) return undefined;
  return {
    ...summary,
    bodyMarkdown: extra.body_markdown,
    notesToEditors: extra.notes_to_editors,
    unpublishReason: extra.unpublish_reason,
    quotes: quotes.map((q) => ({ position: q.position, text: q.body, person: { slug: q.slug, name: q.name } })),
  };
}

/** What the public address of a release shows: the release, a tombstone, or nothing (never public, or unknown). */
export async function releaseAtAddress(db: Db, slug: string, now: Date): Promise<{ kind: 'public'; release: ReleaseDetail } | { kind: 'tombstone'; release: ReleaseDetail } | null> {
  const row = await releases(db).where('r.slug', '=', slug).executeTakeFirst();
  if (!row) return null;
  const visible = (row.state === 'published' || row.state === 'scheduled') && row.published_at !== null && row.published_at.getTime() <= now.getTime();
  // An unpublished release was public once (one still under embargo goes back to draft instead): say it was withdrawn.
  const tombstone = row.state === 'unpublished' && row.published_at !== null && row.published_at.getTime() <= now.getTime();
  if (!visible && !tombstone) return null;
  const release = await detail(db, row);
  if (!release) return null;
  return { kind: visible ? 'public' : 'tombstone', release };
}

/** A release for its author's work pages, whatever its state. */
export async function releaseById(db: Db, id: number): Promise<ReleaseDetail | undefined> {
  return detail(db, await releases(db).where('r.id', '=', id).executeTakeFirst());
}

/** The releases an actor manages (see canManage in the commands), newest change first. */
export async function managedReleases(db: Db, who: { authorId?: number | null; groupId?: number | null; createdById?: number | null }) {
  let query = releases(db);
  if (who.authorId != null) query = query.where('r.author_id', '=', who.authorId);
  else if (who.groupId != null) query = query.where('r.party_group_id', '=', who.groupId);
  else if (who.createdById != null) query = query.where('r.created_by_id', '=', who.createdById);
  else return [];
  return withCategories(db, await query.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(200).execute());
}

/** Public releases that cite a question: for the question page's "Cited in press releases". */
export async function releasesCitingQuestion(db: Db, questionId: number, now: Date): Promise<ReleaseSummary[]> {
  const rows = await publicAt(releases(db), now)
    .where((eb) =>
      eb.exists(eb.selectFrom('press_release_citations as c').select('c.id').whereRef('c.press_release_id', '=', 'r.id').where('c.question_id', '=', questionId)) as Expression<SqlBool>,
    )
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(50)
    .execute();
  return withCategories(db, rows);
}

/** A member's public releases, newest first: for the member page. */
export async function releasesByMember(db: Db, personId: number, now: Date, limit = 20): Promise<ReleaseSummary[]> {
  const rows = await publicAt(releases(db), now).where('r.author_id', '=', personId).orderBy('r.published_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
  return withCategories(db, rows);
}

/** Every public release's address and last change, for the sitemap. */
export async function publishedReleaseEntries(db: Db, now: Date): Promise<{ path: string; lastModified: Date }[]> {
  const rows = await publicAt(releases(db), now).orderBy('r.published_at', 'desc').execute();
  return rows.map((r) => ({
    path: `/press-releases/${r.slug}`,
    lastModified: r.published_at && r.published_at > r.updated_at ? r.published_at : r.updated_at,
  }));
}

/** The choices the public list's filters offer: only members, groups and categories that have public releases. */
export async function filterChoices(db: Db, now: Date) {
  const base = publicAt(releases(db), now);
  const members = await base.clearSelect().select(['author.slug', 'author.name']).distinct().orderBy('author.name').execute();
  const groups = await base.clearSelect().select(['grp.slug', 'grp.name']).where('grp.slug', 'is not', null).distinct().orderBy('grp.name').execute();
  const categories = await base
    .clearSelect()
    .innerJoin('press_release_categories as rc', 'rc.press_release_id', 'r.id')
    .innerJoin('press_categories as pc', 'pc.id', 'rc.category_id')
    .select(['pc.slug', 'pc.name'])
    .distinct()
    .orderBy('pc.name')
    .execute();
  return {
    members,
    groups: groups.filter((g): g is { slug: string; name: string } => g.slug !== null && g.name !== null),
    categories,
  };
}

export async function allCategories(db: Db) {
  return db.selectFrom('press_categories').select(['slug', 'name']).orderBy('name').execute();
}

/** Members of the assembly today, with their party group, for the composer's author and quote choices. */
export async function membersForComposer(db: Db, today: string) {
  return db
    .selectFrom('memberships as seat')
    .innerJoin('organisations as assembly', 'assembly.id', 'seat.organisation_id')
    .innerJoin('people', 'people.id', 'seat.person_id')
    .leftJoin('memberships as party', (join) =>
      join
        .onRef('party.person_id', '=', 'people.id')
        .on('party.role', '=', 'member')
        .on('party.start_date', '<=', today)
        .on((eb) => eb.or([eb('party.end_date', 'is', null), eb('party.end_date', '>=', today)]))
        .on((eb) => eb.exists(eb.selectFrom('organisations as g').select('g.id').whereRef('g.id', '=', 'party.organisation_id').where('g.classification', '=', 'party_group'))),
    )
    .select(['people.id', 'people.slug', 'people.name', 'people.family_name', 'party.organisation_id as group_id'])
    .where('assembly.classification', '=', 'assembly')
    .where('seat.role', 'in', ['member', 'leader', 'chair'])
    .where('seat.start_date', '<=', today)
    .where((eb) => eb.or([eb('seat.end_date', 'is', null), eb('seat.end_date', '>=', today)]))
    .orderBy('people.family_name')
    .orderBy('people.name')
    .execute();
}
