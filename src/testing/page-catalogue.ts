// Every page type of the site, as real URLs built from the demo data, for the accessibility and page-weight tests.
// Add a page type here and both suites check it; a page whose data or route is missing fails with its name.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { loadActor } from '../auth/auth.plugin.ts';
import { hashSessionId } from '../auth/session-store.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { DEMO_ACCOUNTS } from '../demo/demo-accounts.ts';
import { allocateQuestion } from '../workflow/executive.commands.ts';
import { createRelease } from '../press-releases/press-release.commands.ts';
import { writeAnswerDraft } from '../workflow/answer-draft.commands.ts';
import { createDraft, tableQuestion } from '../workflow/member.commands.ts';
import { FIXED_NOW } from './demo-app.ts';

export interface PageCase {
  /** The page type, as the failure messages name it. */
  name: string;
  path: string;
  /** Who is signed in; public pages have none. */
  role?: UserRole;
  /** The status the page is served with (200 unless said). */
  status?: number;
}

type Lookup = (db: Db) => Promise<string | undefined>;

/** One entry per page type: a fixed path, or a lookup in the demo data (undefined when the data has none). */
interface Entry {
  name: string;
  path: string | Lookup;
  role?: UserRole;
  status?: number;
}

const questionPath = (row: { reference_year: number | null; reference_number: number | null } | undefined) =>
  row?.reference_year && row.reference_number ? `/questions/${row.reference_year}/${String(row.reference_number).padStart(4, '0')}` : undefined;

/** A question with a published correction: versions and their difference. */
const correctedQuestion: Lookup = async (db) =>
  questionPath(
    await db
      .selectFrom('questions')
      .innerJoin('answer_versions', 'answer_versions.question_id', 'questions.id')
      .select(['questions.reference_year', 'questions.reference_number'])
      .where('answer_versions.kind', '=', 'correction')
      .orderBy('questions.id')
      .executeTakeFirst(),
  );

/** A question that follows up another: the thread. */
const followUpQuestion: Lookup = async (db) =>
  questionPath(
    await db
      .selectFrom('questions')
      .select(['reference_year', 'reference_number'])
      .where('follow_up_of_id', 'is not', null)
      .where('reference_number', 'is not', null)
      .orderBy('id')
      .executeTakeFirst(),
  );

const topicSlug: Lookup = async (db) => (await db.selectFrom('topics').select('slug').orderBy('id').executeTakeFirst())?.slug;

/** The demo member with an account: her page has questions, a group history and (once written) press releases. */
const memberSlug: Lookup = async (db) => (await db.selectFrom('people').select('slug').where('slug', '=', 'hannah-okoye').executeTakeFirst())?.slug;

const organisationSlug = (classification: 'party_group' | 'functional_body' | 'executive'): Lookup => async (db) =>
  (await db.selectFrom('organisations').select('slug').where('classification', '=', classification).orderBy('id').executeTakeFirst())?.slug;

/** The held Mayor's Question Time with the most answered questions: a meeting page with papers. */
const heldMeeting: Lookup = async (db) =>
  (
    await db
      .selectFrom('meetings')
      .select('slug')
      .where('state', '=', 'held')
      .where('meeting_type', '=', 'mqt')
      .orderBy('meets_on', 'desc')
      .executeTakeFirst()
  )?.slug;

const scheduledMeetingId: Lookup = async (db) =>
  String((await db.selectFrom('meetings').select('id').where('state', '=', 'scheduled').orderBy('meets_on').executeTakeFirst())?.id ?? '');

const pressReleaseId: Lookup = async (db) => {
  const row = await db.selectFrom('press_releases').select('id').orderBy('id').executeTakeFirst();
  return row ? String(row.id) : undefined;
};

const prefixed = (prefix: string, lookup: Lookup, suffix = ''): Lookup => async (db) => {
  const value = await lookup(db);
  return value ? `${prefix}${value}${suffix}` : undefined;
};

/** Ids of the workflow records the signed-in pages show, made through the real commands by setUpWorkflow(). */
export interface WorkflowIds {
  draftQuestionId: number;
  tabledQuestionId: number;
  allocatedQuestionId: number;
  answerDraftId: number;
  draftPressReleaseId: number;
}

const ENTRIES = (ids: WorkflowIds): Entry[] => [
  // The public site.
  { name: 'home', path: '/' },
  { name: 'search with results and facets', path: '/search?q=police' },
  { name: 'search with syntax and filters', path: '/search?q=%22stop+and+search%22+-knife&type=written&sort=newest' },
  { name: 'search with no results', path: '/search?q=zzzzqqqq' },
  { name: 'questions list', path: '/questions' },
  { name: 'question with answer versions and a correction', path: prefixed('', correctedQuestion) },
  { name: 'question in a follow-up thread', path: prefixed('', followUpQuestion) },
  { name: 'members list', path: '/members' },
  { name: 'member', path: prefixed('/members/', memberSlug) },
  { name: 'party groups list', path: '/groups' },
  { name: 'party group', path: prefixed('/groups/', organisationSlug('party_group')) },
  { name: 'topics list', path: '/topics' },
  { name: 'topic', path: prefixed('/topics/', topicSlug) },
  { name: 'answering bodies list', path: '/bodies' },
  { name: 'answering body', path: prefixed('/bodies/', organisationSlug('functional_body')) },
  { name: 'meetings list', path: '/meetings' },
  { name: 'meeting', path: prefixed('/meetings/', heldMeeting) },
  { name: 'meeting agenda', path: prefixed('/meetings/', heldMeeting, '/agenda') },
  { name: 'meeting questions paper', path: prefixed('/meetings/', heldMeeting, '/questions') },
  { name: 'meeting answers paper', path: prefixed('/meetings/', heldMeeting, '/answers') },
  { name: 'meeting order paper', path: prefixed('/meetings/', heldMeeting, '/order-paper') },
  { name: 'meeting transcript', path: prefixed('/meetings/', heldMeeting, '/transcript') },
  { name: "meeting Mayor's report", path: prefixed('/meetings/', heldMeeting, '/report') },
  { name: 'calendar', path: '/calendar' },
  { name: 'about', path: '/about' },
  { name: 'accessibility statement', path: '/accessibility' },
  { name: 'API documentation', path: '/api' },
  { name: 'downloads', path: '/downloads' },
  { name: 'press releases', path: '/press-releases' },
  { name: 'press release', path: prefixed('/press-releases/', async (db) => (await db.selectFrom('press_releases').select('slug').orderBy('id').executeTakeFirst())?.slug) },
  { name: 'page not found', path: '/no-such-page', status: 404 },
  { name: 'unknown question', path: '/questions/1999/9999', status: 404 },
  { name: 'sign in', path: '/sign-in' },
  { name: 'signed out', path: '/signed-out' },
  // Each role's work pages.
  { name: 'member: questions', path: '/work/questions', role: 'member' },
  { name: 'member: new question', path: '/work/questions/new', role: 'member' },
  { name: 'member: draft question', path: `/work/questions/${ids.draftQuestionId}`, role: 'member' },
  { name: 'member: edit draft', path: `/work/questions/${ids.draftQuestionId}/edit`, role: 'member' },
  { name: 'member: withdraw', path: `/work/questions/${ids.tabledQuestionId}/withdraw`, role: 'member' },
  { name: 'member: account', path: '/account', role: 'member' },
  { name: 'member: API tokens', path: '/account/tokens', role: 'member' },
  { name: 'member: set up two-factor', path: '/account/two-factor/setup', role: 'member' },
  { name: 'staff: questions', path: '/work/questions', role: 'staff' },
  { name: 'press officer: account', path: '/account', role: 'press_officer' },
  { name: 'press officer: press releases', path: '/work/press-releases', role: 'press_officer' },
  { name: 'press officer: new press release', path: '/work/press-releases/new', role: 'press_officer' },
  { name: 'press officer: draft press release', path: `/work/press-releases/${ids.draftPressReleaseId}`, role: 'press_officer' },
  { name: 'press officer: edit press release', path: `/work/press-releases/${ids.draftPressReleaseId}/edit`, role: 'press_officer' },
  { name: 'press officer: published press release', path: prefixed('/work/press-releases/', pressReleaseId), role: 'press_officer' },
  { name: 'clerk: queue', path: '/work/clerk', role: 'clerk' },
  { name: 'clerk: tabled question', path: `/work/clerk/questions/${ids.tabledQuestionId}`, role: 'clerk' },
  { name: 'clerk: calendar', path: '/work/clerk/calendar', role: 'clerk' },
  { name: 'clerk: new meeting', path: '/work/clerk/calendar/new', role: 'clerk' },
  { name: 'clerk: edit meeting', path: prefixed('/work/clerk/calendar/', scheduledMeetingId, '/edit'), role: 'clerk' },
  { name: 'clerk: meetings', path: '/work/clerk/meetings', role: 'clerk' },
  { name: 'clerk: meeting', path: prefixed('/work/clerk/meetings/', scheduledMeetingId), role: 'clerk' },
  { name: 'clerk: order paper', path: prefixed('/work/clerk/meetings/', scheduledMeetingId, '/order-paper'), role: 'clerk' },
  { name: 'clerk: meeting record', path: prefixed('/work/clerk/meetings/', scheduledMeetingId, '/record'), role: 'clerk' },
  { name: "clerk: Mayor's report", path: prefixed('/work/clerk/meetings/', scheduledMeetingId, '/report'), role: 'clerk' },
  { name: 'officer: answers queue', path: '/work/answers', role: 'officer' },
  { name: 'officer: edit draft answer', path: `/work/answers/drafts/${ids.answerDraftId}/edit`, role: 'officer' },
  { name: 'approver: answers queue', path: '/work/answers', role: 'approver' },
  { name: 'approver: question', path: `/work/answers/questions/${ids.allocatedQuestionId}`, role: 'approver' },
  { name: 'admin: users', path: '/admin/users', role: 'admin' },
  { name: 'admin: new user', path: '/admin/users/new', role: 'admin' },
  { name: 'admin: user', path: async (db) => `/admin/users/${(await db.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()).id}`, role: 'admin' },
  { name: 'admin: audit trail', path: '/admin/audit', role: 'admin' },
  { name: 'admin: imports', path: '/admin/imports', role: 'admin' },
];

/**
 * Page types not built yet: listed so that adding the route is all it takes to cover them.
 * Remove a name here once its page exists; every other page must answer with its status.
 */
export const NOT_YET_BUILT = new Set<string>([]);

/** The catalogue over this database: each page type's URL, or a problem naming the data that is missing. */
export async function pageCatalogue(db: Db, ids: WorkflowIds): Promise<{ pages: PageCase[]; missing: string[] }> {
  const pages: PageCase[] = [];
  const missing: string[] = [];
  for (const entry of ENTRIES(ids)) {
    if (NOT_YET_BUILT.has(entry.name)) continue;
    const path = typeof entry.path === 'string' ? entry.path : await entry.path(db);
    if (!path) {
      missing.push(`${entry.name}: the demo data has nothing to show on this page`);
      continue;
    }
    pages.push({ name: entry.name, path, ...(entry.role ? { role: entry.role } : {}), ...(entry.status ? { status: entry.status } : {}) });
  }
  return { pages, missing };
}

/** The demo account of a role, as an actor. */
export async function demoActor(db: Db, role: UserRole): Promise<Actor> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account has the role ${role}`);
  const user = await db.selectFrom('users').select('id').where('email', '=', account.email).executeTakeFirstOrThrow();
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`the demo account ${account.email} could not be loaded`);
  return actor;
}

/** The workflow records the work pages show, made through the same commands the pages use, at the demo's "now". */
export async function setUpWorkflow(db: Db): Promise<WorkflowIds> {
  const options = { now: FIXED_NOW };
  const member = await demoActor(db, 'member');
  const approver = await demoActor(db, 'approver');
  const officer = await demoActor(db, 'officer');
  const meeting = await db.selectFrom('meetings').select('id').where('state', '=', 'scheduled').where('meeting_type', '=', 'mqt').orderBy('meets_on').executeTakeFirstOrThrow();
  const draft = { meetingId: meeting.id, questionType: 'written' as const, body: 'How many police officers patrolled the Eastgate estate on foot in October?' };
  const { questionId: draftQuestionId } = await db.transaction().execute((trx) => createDraft(trx, member, { ...draft, title: 'Foot patrols in Eastgate' }, options));
  const { questionId: tabledQuestionId } = await db.transaction().execute((trx) => createDraft(trx, member, { ...draft, title: 'Foot patrols in Westmoor' }, options));
  await db.transaction().execute((trx) => tableQuestion(trx, member, { questionId: tabledQuestionId }, options));
  // An accepted question that nobody has answered yet, given to the officer's body.
  const waiting = await db
    .selectFrom('questions')
    .select('id')
    .where('state', '=', 'accepted')
    .where('question_type', '=', 'written')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('answer_versions').select('id').whereRef('answer_versions.question_id', '=', 'questions.id'))))
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const bodyId = officer.organisationId;
  if (!bodyId) throw new Error('the demo officer belongs to no answering body');
  await db.transaction().execute((trx) => allocateQuestion(trx, approver, { questionId: waiting.id, answeringBodyId: bodyId, officerId: officer.userId }, options));
  const { draftId } = await db
    .transaction()
    .execute(async (trx) => writeAnswerDraft(trx, officer, { questionId: waiting.id, kind: 'substantive', body: 'Officers patrolled the estate on foot every day in October.' }, options));
  const pressOfficer = await demoActor(db, 'press_officer');
  const { releaseId } = await db.transaction().execute(async (trx) =>
    createRelease(trx, pressOfficer, { headline: 'Foot patrols return to Eastgate', body: 'Hannah Okoye welcomed the *return* of foot patrols.', author: 'hannah-okoye' }, options),
  );
  return { draftQuestionId, tabledQuestionId, allocatedQuestionId: waiting.id, answerDraftId: draftId, draftPressReleaseId: releaseId };
}

/** A signed-in session for the role's demo account (second factor done), as a cookie for a browser context. */
export async function sessionCookie(
  db: Db,
  role: UserRole,
): Promise<{ name: string; value: string; domain: string; path: string; secure: boolean; httpOnly: boolean; sameSite: 'Lax' }> {
  const actor = await demoActor(db, role);
  const id = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSessionId(id),
      user_id: actor.userId,
      pending_user_id: null,
      csrf_secret: '',
      flash: null,
      created_at: FIXED_NOW,
      last_seen_at: FIXED_NOW,
      expires_at: new Date(FIXED_NOW.getTime() + 12 * 60 * 60_000),
    })
    .execute();
  // "localhost" is a secure context, so Chromium keeps this Secure __Host- cookie over plain HTTP.
  return { name: SESSION_COOKIE, value: id, domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' };
}
