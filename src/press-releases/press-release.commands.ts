// Writing, scheduling, publishing and unpublishing press releases: one command per action, each locking the release,
// checking who may act and what state allows, writing, and auditing, in the caller's transaction. A refusal throws
// before anything is written, so nothing is saved.
import { memberPersonId, type Actor } from '../auth/actor.ts';
import { londonDate, londonDateTime } from '../calendar/london-time.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import type { PressReleaseState } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { parseInput } from '../workflow/input.ts';
import { resolveCitation, type ResolvedCitation } from './citations.ts';
import { draftNotesToEditors, type CitationFacts } from './notes-to-editors.ts';
import { categorySlug, ReleaseInput, ReleaseUpdate, ScheduleInput, UnpublishInput } from './press-release.input.ts';

export interface CommandOptions {
  now?: Date;
}

export const RELEASE_ROLES = ['member', 'staff', 'press_officer'] as const;

export interface ReleaseRow {
  id: number;
  slug: string;
  state: PressReleaseState;
  author_id: number;
  party_group_id: number | null;
  created_by_id: number | null;
  published_at: Date | null;
  embargo_until: Date | null;
}

/** Public from its publication moment (now, or the end of its embargo) until it is unpublished. No job flips it. */
export function isPublic(release: Pick<ReleaseRow, 'state' | 'published_at'>, now: Date): boolean {
  return (release.state === 'scheduled' || release.state === 'published') && release.published_at !== null && release.published_at.getTime() <= now.getTime();
}

/** Members and their staff manage the member's releases; a press officer, their party group's (or, untied, their own). */
export function canManage(actor: Actor, release: Pick<ReleaseRow, 'author_id' | 'party_group_id' | 'created_by_id'>): boolean {
  if (actor.role === 'member' || actor.role === 'staff') return memberPersonId(actor) === release.author_id;
  if (actor.role === 'press_officer') return actor.organisationId !== null ? release.party_group_id === actor.organisationId : release.created_by_id === actor.userId;
  return false;
}

const ABOUT = 'The press release';

function refuseFields(fields: Record<string, string>): never {
  throw new AppError('validation_failed', `${ABOUT} has a problem: ${Object.values(fields).join('; ')}.`, { fields });
}

/** Locks the release row (so two publishers queue) and checks the actor may manage it; others are told it is not there. */
export async function lockRelease(trx: Db, actor: Actor, releaseId: number): Promise<ReleaseRow> {
  const row = await trx
    .selectFrom('press_releases')
    .select(['id', 'slug', 'state', 'author_id', 'party_group_id', 'created_by_id', 'published_at', 'embargo_until'])
    .where('id', '=', releaseId)
    .forUpdate()
    .executeTakeFirst();
  if (!row || !canManage(actor, row)) throw new AppError('not_found', 'The press release was not found.');
  return row;
}

async function assemblyMemberOn(trx: Db, personId: number, date: string): Promise<boolean> {
  const row = await trx
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select('memberships.id')
    .where('memberships.person_id', '=', personId)
    .where('organisations.classification', '=', 'assembly')
    .where('memberships.role', 'in', ['member', 'leader', 'chair'])
    .where('memberships.start_date', '<=', date)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', date)]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function partyGroupIdOn(trx: Db, personId: number, date: string): Promise<number | null> {
  const row = await trx
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select('organisations.id')
    .where('memberships.person_id', '=', personId)
    .where('organisations.classification', '=', 'party_group')
    .where('memberships.role', '=', 'member')
    .where('memberships.start_date', '<=', date)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', date)]))
    .executeTakeFirst();
  return row?.id ?? null;
}

async function personBySlug(trx: Db, slug: string) {
  return trx.selectFrom('people').select(['id', 'name']).where('slug', '=', slug).executeTakeFirst();
}

/** Who the release is by: the member themself, the member staff act for, or the member a press officer names. */
async function authorOf(trx: Db, actor: Actor, authorSlug: string | undefined, today: string): Promise<{ authorId: number; groupId: number | null }> {
  if (!(RELEASE_ROLES as readonly string[]).includes(actor.role)) throw new AppError('forbidden', 'Your account does not have permission to do that.');
  let authorId = memberPersonId(actor);
  if (actor.role === 'press_officer') {
    if (!authorSlug) refuseFields({ author: 'Choose the member the release is by' });
    const person = await personBySlug(trx, authorSlug ?? '');
    if (!person || !(await assemblyMemberOn(trx, person.id, today))) refuseFields({ author: 'Choose a member of the Assembly' });
    authorId = person?.id ?? null;
  }
  if (authorId === null) throw new AppError('forbidden', 'Your account is not tied to a member.');
  const groupId = await partyGroupIdOn(trx, authorId, today);
  if (actor.role === 'press_officer' && actor.organisationId !== null && groupId !== actor.organisationId) {
    refuseFields({ author: 'Choose a member of your party group' });
  }
  return { authorId, groupId };
}

interface Checked {
  quotes: { personId: number; text: string }[];
  categoryNames: string[];
  citations: ResolvedCitation[];
}

/** Checks quotes and citations against the record, collecting every problem before refusing. */
async function checkAgainstRecord(
  trx: Db,
  input: Pick<ReleaseInput, 'quotes' | 'citations' | 'categories'>,
  today: string,
  now: Date,
  keep: ReadonlyMap<number, { answerVersionId: number; pinned: boolean }>,
): Promise<Checked> {
  const fields: Record<string, string> = {};
  const quotes: Checked['quotes'] = [];
  for (const [index, quote] of input.quotes.entries()) {
    const person = await personBySlug(trx, quote.person);
    if (!person) fields[`quotes.${index}.person`] = `Quote ${index + 1}: there is no member “${quote.person}” in the record`;
    else if (!(await assemblyMemberOn(trx, person.id, today))) {
      fields[`quotes.${index}.person`] = `Quote ${index + 1}: ${person.name} is not a member of the Assembly, and a release can only quote members`;
    } else quotes.push({ personId: person.id, text: quote.text });
  }
  const citations: ResolvedCitation[] = [];
  for (const [index, citation] of input.citations.entries()) {
    try {
      const resolved = await resolveCitation(trx, citation, `citations.${index}`, now, keep);
      if (citations.some((c) => c.answerVersionId === resolved.answerVersionId)) fields[`citations.${index}`] = `${citation.reference} is cited twice`;
      else citations.push(resolved);
    } catch (error) {
      if (!(error instanceof AppError) || !error.fields) throw error;
      Object.assign(fields, error.fields);
    }
  }
  if (Object.keys(fields).length > 0) refuseFields(fields);
  const names = [...new Map(input.categories.map((n) => [categorySlug(n), n])).values()];
  return { quotes, citations, categoryNames: names.length > 0 ? names : ['Uncategorised'] };
}

/** The facts the notes to editors are drafted from, for resolved citations in order. */
export async function citationFacts(trx: Db, citations: readonly Pick<ResolvedCitation, 'questionId' | 'answerVersionId' | 'kind'>[]): Promise<CitationFacts[]> {
  const facts: CitationFacts[] = [];
  for (const [index, c] of citations.entries()) {
    const row = await trx
      .selectFrom('questions as q')
      .innerJoin('people as asker', 'asker.id', 'q.asker_id')
      .innerJoin('meetings as m', 'm.id', 'q.meeting_id')
      .innerJoin('answer_versions as v', 'v.question_id', 'q.id')
      .select(['asker.name', 'v.answered_by_label', 'm.title', 'm.meets_on'])
      .where('q.id', '=', c.questionId)
      .where('v.id', '=', c.answerVersionId)
      .executeTakeFirstOrThrow();
    facts.push({ position: index + 1, kind: c.kind, askerName: row.name, answererLabel: row.answered_by_label, meetingTitle: row.title, meetingDate: row.meets_on });
  }
  return facts;
}

async function uniqueSlug(trx: Db, headline: string): Promise<string> {
  const base = categorySlug(headline).slice(0, 80).replace(/-+$/g, '') || 'press-release';
  const taken = await trx.selectFrom('press_releases').select('slug').where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)])).execute();
  const used = new Set(taken.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function categoryIds(trx: Db, names: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) {
    const slug = categorySlug(name);
    await trx.insertInto('press_categories').values({ slug, name }).onConflict((oc) => oc.column('slug').doNothing()).execute();
    const row = await trx.selectFrom('press_categories').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return [...new Set(ids)];
}

async function writeParts(trx: Db, releaseId: number, checked: Checked): Promise<void> {
  await trx.deleteFrom('press_release_quotes').where('press_release_id', '=', releaseId).execute();
  await trx.deleteFrom('press_release_citations').where('press_release_id', '=', releaseId).execute();
  await trx.deleteFrom('press_release_categories').where('press_release_id', '=', releaseId).execute();
  if (checked.quotes.length > 0) {
    await trx
      .insertInto('press_release_quotes')
      .values(checked.quotes.map((q, i) => ({ press_release_id: releaseId, position: i + 1, person_id: q.personId, body: q.text })))
      .execute();
  }
  if (checked.citations.length > 0) {
    await trx
      .insertInto('press_release_citations')
      .values(
        checked.citations.map((c, i) => ({
          press_release_id: releaseId,
          position: i + 1,
          question_id: c.questionId,
          answer_version_id: c.answerVersionId,
          meeting_id: c.meetingId,
          kind: c.kind,
          pinned: c.pinned,
        })),
      )
      .execute();
  }
  const ids = await categoryIds(trx, checked.categoryNames);
  await trx.insertInto('press_release_categories').values(ids.map((id) => ({ press_release_id: releaseId, category_id: id }))).execute();
}

export async function createRelease(trx: Db, actor: Actor, raw: unknown, options: CommandOptions = {}): Promise<{ releaseId: number; slug: string }> {
  const now = options.now ?? new Date();
  const today = londonDate(now);
  const input = parseInput(ReleaseInput, raw, ABOUT);
  const { authorId, groupId } = await authorOf(trx, actor, input.author, today);
  const checked = await checkAgainstRecord(trx, input, today, now, new Map());
  const notes = input.notesToEditors || draftNotesToEditors(await citationFacts(trx, checked.citations), today);
  const slug = await uniqueSlug(trx, input.headline);
  const row = await trx
    .insertInto('press_releases')
    .values({
      slug,
      headline: input.headline,
      body_markdown: input.body,
      notes_to_editors: notes,
      author_id: authorId,
      party_group_id: groupId,
      state: 'draft',
      created_by_id: actor.userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeParts(trx, row.id, checked);
  await recordAudit(trx, actor, { action: 'press_release.created', recordType: 'press_release', recordId: row.id, toState: 'draft', details: { slug, citations: checked.citations.length } });
  return { releaseId: row.id, slug };
}

/** Edits a draft, or a scheduled release before its embargo ends. Once public, a release is part of the record. */
export async function updateRelease(trx: Db, actor: Actor, releaseId: number, raw: unknown, options: CommandOptions = {}): Promise<{ changed: string[] }> {
  const now = options.now ?? new Date();
  const today = londonDate(now);
  const input = parseInput(ReleaseUpdate, raw, ABOUT);
  const release = await lockRelease(trx, actor, releaseId);
  if (release.state === 'unpublished' || isPublic(release, now)) {
    throw new AppError('conflict', 'This release has been published, so it can no longer be edited. Unpublish it and write a new one.');
  }
  const current = await trx.selectFrom('press_releases').select(['headline', 'body_markdown', 'notes_to_editors']).where('id', '=', releaseId).executeTakeFirstOrThrow();
  const existing = await currentParts(trx, releaseId);
  const keep = new Map(existing.citations.map((c) => [c.question_id, { answerVersionId: c.answer_version_id, pinned: c.pinned }]));
  let author = { authorId: release.author_id, groupId: release.party_group_id };
  if (input.author !== undefined && actor.role === 'press_officer') author = await authorOf(trx, actor, input.author, today);
  const checked = await checkAgainstRecord(
    trx,
    {
      quotes: input.quotes ?? existing.quotes,
      citations: input.citations ?? existing.citations.map((c) => ({ reference: c.reference, ...(c.pinned ? { version: c.version } : {}) })),
      categories: input.categories ?? existing.categories,
    },
    today,
    now,
    keep,
  );
  const notes = input.notesToEditors === undefined ? current.notes_to_editors : input.notesToEditors || draftNotesToEditors(await citationFacts(trx, checked.citations), today);
  const changed = [
    input.headline !== undefined && input.headline !== current.headline ? 'headline' : null,
    input.body !== undefined && input.body !== current.body_markdown ? 'body' : null,
    notes !== current.notes_to_editors ? 'notesToEditors' : null,
    author.authorId !== release.author_id ? 'author' : null,
    input.quotes !== undefined ? 'quotes' : null,
    input.citations !== undefined ? 'citations' : null,
    input.categories !== undefined ? 'categories' : null,
  ].filter((f): f is string => f !== null);
  await trx
    .updateTable('press_releases')
    .set({
      headline: input.headline ?? current.headline,
      body_markdown: input.body ?? current.body_markdown,
      notes_to_editors: notes,
      author_id: author.authorId,
      party_group_id: author.groupId,
      updated_at: now,
    })
    .where('id', '=', releaseId)
    .execute();
  await writeParts(trx, releaseId, checked);
  await recordAudit(trx, actor, { action: 'press_release.edited', recordType: 'press_release', recordId: releaseId, fromState: release.state, toState: release.state, details: { changed } });
  return { changed };
}

/** A release's quotes, citations and categories as input, for an update that leaves some of them out. */
export async function currentParts(db: Db, releaseId: number) {
  const quotes = await db
    .selectFrom('press_release_quotes as pq')
    .innerJoin('people', 'people.id', 'pq.person_id')
    .select(['people.slug as person', 'pq.body as text'])
    .where('pq.press_release_id', '=', releaseId)
    .orderBy('pq.position')
    .execute();
  const citations = await db
    .selectFrom('press_release_citations as c')
    .innerJoin('questions as q', 'q.id', 'c.question_id')
    .innerJoin('answer_versions as v', 'v.id', 'c.answer_version_id')
    .select(['c.question_id', 'c.answer_version_id', 'c.pinned', 'q.reference_year', 'q.reference_number', 'v.version'])
    .where('c.press_release_id', '=', releaseId)
    .orderBy('c.position')
    .execute();
  const categories = await db
    .selectFrom('press_release_categories as rc')
    .innerJoin('press_categories as pc', 'pc.id', 'rc.category_id')
    .select('pc.name')
    .where('rc.press_release_id', '=', releaseId)
    .orderBy('pc.name')
    .execute();
  return {
    quotes,
    citations: citations.map((c) => ({ ...c, reference: `${c.reference_year}/${String(c.reference_number).padStart(4, '0')}` })),
    categories: categories.map((c) => c.name),
  };
}

/** Sets (or moves) the embargo: the release becomes public by itself when London's clocks reach it. */
export async function scheduleRelease(trx: Db, actor: Actor, releaseId: number, raw: unknown, options: CommandOptions = {}): Promise<{ embargoUntil: Date }> {
  const now = options.now ?? new Date();
  const input = parseInput(ScheduleInput, raw, 'The embargo');
  const embargo = londonDateTime(input.embargoDate, input.embargoTime.padStart(5, '0'));
  if (Number.isNaN(embargo.getTime()) || londonDate(embargo) !== input.embargoDate) refuseFields({ embargoDate: 'Enter a real date for the embargo' });
  if (embargo.getTime() <= now.getTime()) refuseFields({ embargoDate: 'The embargo must be in the future: to publish now, choose “Publish now”' });
  const release = await lockRelease(trx, actor, releaseId);
  if (release.state !== 'draft' && !(release.state === 'scheduled' && !isPublic(release, now))) {
    throw new AppError('conflict', 'Only a draft, or a release whose embargo has not ended, can be scheduled.');
  }
  await trx.updateTable('press_releases').set({ state: 'scheduled', embargo_until: embargo, published_at: embargo, updated_at: now }).where('id', '=', releaseId).execute();
  await recordAudit(trx, actor, {
    action: 'press_release.scheduled',
    recordType: 'press_release',
    recordId: releaseId,
    fromState: release.state,
    toState: 'scheduled',
    details: { embargoUntil: embargo.toISOString() },
  });
  return { embargoUntil: embargo };
}

/** Publishes now, with no embargo (from a draft, or bringing a scheduled release forward). */
export async function publishRelease(trx: Db, actor: Actor, releaseId: number, options: CommandOptions = {}): Promise<void> {
  const now = options.now ?? new Date();
  const release = await lockRelease(trx, actor, releaseId);
  if (release.state !== 'draft' && !(release.state === 'scheduled' && !isPublic(release, now))) {
    throw new AppError('conflict', release.state === 'unpublished' ? 'This release was unpublished; write a new one instead.' : 'This release is already published.');
  }
  await trx.updateTable('press_releases').set({ state: 'published', embargo_until: null, published_at: now, updated_at: now }).where('id', '=', releaseId).execute();
  await recordAudit(trx, actor, { action: 'press_release.published', recordType: 'press_release', recordId: releaseId, fromState: release.state, toState: 'published' });
}

/**
 * Takes a release down. One that was public leaves a tombstone (its address says it was withdrawn, and when);
 * one still under embargo was never seen, so it simply goes back to being a draft.
 */
export async function unpublishRelease(trx: Db, actor: Actor, releaseId: number, raw: unknown, options: CommandOptions = {}): Promise<{ state: PressReleaseState }> {
  const now = options.now ?? new Date();
  const input = parseInput(UnpublishInput, raw ?? {}, 'The withdrawal');
  const release = await lockRelease(trx, actor, releaseId);
  if (release.state === 'draft' || release.state === 'unpublished') throw new AppError('conflict', 'This release is not published or scheduled.');
  const wasPublic = isPublic(release, now);
  const to: PressReleaseState = wasPublic ? 'unpublished' : 'draft';
  await trx
    .updateTable('press_releases')
    .set(
      wasPublic
        ? { state: 'unpublished', unpublished_at: now, unpublish_reason: input.reason || null, updated_at: now }
        : { state: 'draft', embargo_until: null, published_at: null, updated_at: now },
    )
    .where('id', '=', releaseId)
    .execute();
  await recordAudit(trx, actor, {
    action: wasPublic ? 'press_release.unpublished' : 'press_release.unscheduled',
    recordType: 'press_release',
    recordId: releaseId,
    fromState: release.state,
    toState: to,
    details: input.reason ? { reason: input.reason } : {},
  });
  return { state: to };
}
