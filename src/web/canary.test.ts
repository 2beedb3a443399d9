// Puts unique strings into everything that must stay private (drafts, internal comments, allocations, tabled and
// rejected questions), then crawls every public page, search, feed and API response: none may appear.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { abandonDraft, approveDraft, returnDraft, submitDraft, writeAnswerDraft } from '../workflow/answer-draft.commands.ts';
import { rejectQuestion } from '../workflow/clerk.commands.ts';
import { allocateQuestion, transferQuestion } from '../workflow/executive.commands.ts';
import { createDraft, tableQuestion } from '../workflow/member.commands.ts';
import { acceptedQuestion, createWorld, publishedAnswer, run, type World } from '../workflow/test-factories.ts';
import { buildApp } from './app.ts';

const PUBLIC_URL = 'http://answerable.test';
let t: TestDatabase;
let app: FastifyInstance;
let world: World;
const canaries: Record<string, string> = {};
const canary = (name: string) => (canaries[name] = `canary${randomBytes(6).toString('hex')}`);

before(async () => {
  t = await createTestDatabase();
  const now = new Date();
  world = await createWorld(t.db, now);
  const { member, clerk, approver, policeOfficer } = world.actors;
  const meetingId = world.meetings.future.id;

  // A member's private draft, never tabled.
  await run(t.db, (trx) => createDraft(trx, member, { meetingId, questionType: 'written', title: `Draft title ${canary('draftTitle')}`, body: `Draft body ${canary('draftBody')}` }));
  // Tabled, not yet accepted: the secretariat's business until it is.
  const tabled = await run(t.db, (trx) => createDraft(trx, member, { meetingId, questionType: 'oral', title: `Tabled ${canary('tabledTitle')}`, body: `Tabled body ${canary('tabledBody')}` }));
  await run(t.db, (trx) => tableQuestion(trx, member, { questionId: tabled.questionId }));
  // Rejected, with a reason for the member only.
  const rejected = await run(t.db, (trx) => createDraft(trx, member, { meetingId, questionType: 'written', title: `Rejected ${canary('rejectedTitle')}`, body: `Rejected body ${canary('rejectedBody')}` }));
  await run(t.db, (trx) => tableQuestion(trx, member, { questionId: rejected.questionId }));
  await run(t.db, (trx) => rejectQuestion(trx, clerk, { questionId: rejected.questionId, reason: `Out of order ${canary('rejectionReason')}` }));

  // An accepted question, allocated then transferred, with a returned draft, an abandoned one, and an open one.
  const a = await acceptedQuestion(t.db, world, { title: 'Street lighting repairs' });
  await run(t.db, (trx) => allocateQuestion(trx, approver, { questionId: a.questionId, answeringBodyId: world.transportId }));
  await run(t.db, (trx) => transferQuestion(trx, approver, { questionId: a.questionId, answeringBodyId: world.policeId, officerId: policeOfficer.userId, reason: `Wrong body ${canary('transferReason')}` }));
  const first = await run(t.db, (trx) => writeAnswerDraft(trx, policeOfficer, { questionId: a.questionId, kind: 'substantive', body: `First draft ${canary('returnedDraft')}` }));
  await run(t.db, (trx) => submitDraft(trx, policeOfficer, { draftId: first.draftId }));
  await run(t.db, (trx) => returnDraft(trx, approver, { draftId: first.draftId, comment: `Please redo ${canary('returnComment')}` }));
  await run(t.db, (trx) => abandonDraft(trx, policeOfficer, { draftId: first.draftId, reason: `Starting again ${canary('abandonReason')}` }));
  const second = await run(t.db, (trx) => writeAnswerDraft(trx, policeOfficer, { questionId: a.questionId, kind: 'substantive', body: `Second draft ${canary('openDraft')}` }));
  await run(t.db, (trx) => submitDraft(trx, policeOfficer, { draftId: second.draftId }));
  await run(t.db, (trx) => approveDraft(trx, approver, { draftId: second.draftId, comment: `Fine by me ${canary('approveComment')}` }));

  // A published question, with a later correction still in draft.
  const b = await acceptedQuestion(t.db, world, { title: 'Bus lanes on the ring road' });
  await publishedAnswer(t.db, world, b.questionId, { body: 'The ring road bus lanes open in March.' });
  await run(t.db, (trx) => writeAnswerDraft(trx, approver, { questionId: b.questionId, kind: 'correction', body: `Corrected ${canary('correctionDraft')}`, correctionNote: `Note ${canary('correctionNote')}` }));

  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: PUBLIC_URL, logLevel: 'silent' } });
});

after(async () => {
  await app.close();
  await t.close();
});

const PRIVATE_PREFIXES = ['/work', '/admin', '/account', '/sign-out', '/assets'];

function linksIn(body: string, contentType: string): string[] {
  const found = new Set<string>();
  if (contentType.includes('html')) {
    for (const m of body.matchAll(/href="([^"#]+)/g)) found.add(m[1]!.replaceAll('&amp;', '&'));
  } else {
    for (const m of body.matchAll(/"(https?:\/\/answerable\.test[^"]*|\/[a-z][^"\s]*)"/g)) found.add(m[1]!);
  }
  return [...found]
    .map((href) => (href.startsWith(PUBLIC_URL) ? href.slice(PUBLIC_URL.length) || '/' : href))
    .filter((href) => href.startsWith('/') && !href.startsWith('//') && !PRIVATE_PREFIXES.some((p) => href.startsWith(p)));
}

test('no private text appears in any public page, search, feed or API response', async () => {
  const seeds = ['/', '/questions', '/members', '/meetings', '/calendar', '/calendar.ics', '/api/v1/calendar', '/api/v1/questions', `/api/v1/meetings/${'future-' + world.tag}`, `/meetings/future-${world.tag}`, '/groups', '/bodies', '/topics', '/api/v1/members', '/api/v1/groups', '/api/v1/bodies', '/api/v1/topics'];
  for (const value of Object.values(canaries)) seeds.push(`/questions?q=${value}`, `/api/v1/questions?q=${value}`);
  for (const word of ['Draft', 'Tabled', 'Rejected', 'redo', 'Corrected', 'Wrong body']) seeds.push(`/questions?q=${encodeURIComponent(word)}`);
  const queue = [...seeds];
  const seen = new Set<string>();
  let crawled = 0;
  while (queue.length > 0 && crawled < 1500) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await app.inject({ method: 'GET', url });
    crawled++;
    assert.ok(res.statusCode < 500, `${url} answered ${res.statusCode}`);
    // A search page repeats what was searched for; that echo is the visitor's own text, not the record's.
    let body = res.body;
    for (const typed of new URL(url, PUBLIC_URL).searchParams.values()) if (typed.length > 0) body = body.replaceAll(typed, '');
    for (const [name, value] of Object.entries(canaries)) {
      assert.ok(!body.includes(value), `${url} shows the private ${name}`);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode === 200 && (type.includes('html') || type.includes('json') || type.includes('xml'))) {
      for (const link of linksIn(res.body, type)) if (!seen.has(link)) queue.push(link);
    }
  }
  assert.ok(crawled > 20, `crawled only ${crawled} pages`);
  // The crawl reached the published question and the meeting page, so the check was not vacuous.
  assert.ok([...seen].some((u) => /^\/questions\/\d{4}\/\d+$/.test(u)), 'a question page was crawled');
});

test('no mail to anyone carries a draft, a comment or an allocation; the rejection reason goes only to the member', async () => {
  const mail = await t.db.selectFrom('outbox').select(['recipient', 'subject', 'body_text']).execute();
  assert.ok(mail.length > 0, 'the workflow queued mail');
  const internal = ['returnedDraft', 'returnComment', 'abandonReason', 'openDraft', 'approveComment', 'correctionDraft', 'correctionNote', 'transferReason'];
  for (const m of mail) {
    for (const name of internal) assert.ok(!`${m.subject}\n${m.body_text}`.includes(canaries[name]!), `mail to ${m.recipient} carries ${name}`);
    if (`${m.subject}\n${m.body_text}`.includes(canaries.rejectionReason!)) {
      assert.ok([world.actors.member.email, world.actors.staff.email].includes(m.recipient), `the rejection reason was mailed to ${m.recipient}`);
    }
  }
});
