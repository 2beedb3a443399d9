// The whole lifecycle in a real browser, each person in their own browser context, signing in through the pages:
// a member tables a question, the clerk accepts it, the approver allocates it, the officer drafts, the approver
// returns it, the officer redrafts, then a holding answer, the substantive answer and a correction are published.
// The public page shows all three versions with dates and what the correction changed; the member got the mail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { currentTotp, newTotpSecret } from '../auth/totp.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../mail/smtp-test-server.ts';
import { createMailWorker } from '../mail/worker.ts';
import { browserUnavailable, accessibilityProblems, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { hashPassword } from '../users/password-hash.ts';
import { buildApp } from '../web/app.ts';
import { createWorld, type World } from './test-factories.ts';

const skip = browserUnavailable();
const PASSWORD = 'journey test passphrase 7';
let t: TestDatabase;
let app: FastifyInstance;
let world: World;
let running: RunningBrowser;
let smtp: SmtpTestServer;
const secrets = new Map<number, string>();

before(async () => {
  if (skip) return;
  t = await createTestDatabase();
  world = await createWorld(t.db, new Date());
  const hash = await hashPassword(PASSWORD);
  await t.db.updateTable('users').set({ password_hash: hash }).execute();
  // The approver and the officer enrolled in two-factor earlier; the clerk enrols during the test.
  for (const actor of [world.actors.approver, world.actors.policeOfficer]) {
    const secret = newTotpSecret();
    secrets.set(actor.userId, secret);
    await t.db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: new Date() }).where('id', '=', actor.userId).execute();
  }
  smtp = await startSmtpTestServer();
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' } });
  running = await startBrowser(app);
});

after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await smtp.close();
  await t.close();
});

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${running.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function signInWithCode(context: BrowserContext, email: string, userId: number): Promise<Page> {
  const page = await signIn(context, email);
  await page.waitForURL(/\/sign-in\/two-factor/);
  await page.getByLabel('Security code').fill(currentTotp(secrets.get(userId)!));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/work\/answers/);
  return page;
}

async function expectNoAxeProblems(page: Page) {
  assert.deepEqual(await accessibilityProblems(page), [], `axe on ${page.url()}`);
}

test('from a member\'s draft to a corrected published answer, in the browser', { skip }, async () => {
  const base = running.baseUrl;
  const title = 'Cancelled night buses in Eastgate';
  const text = 'How many night bus journeys through Eastgate were cancelled in October, and why?';

  // The member drafts and tables the question.
  const memberContext = await running.browser.newContext();
  const member = await signIn(memberContext, world.actors.member.email);
  await member.waitForURL(/\/work\/questions$/);
  await member.getByRole('button', { name: 'Draft a new question' }).click();
  await member.getByLabel('Meeting').selectOption(String(world.meetings.future.id));
  await member.getByLabel('Written').check();
  await member.getByLabel('Title').fill(title);
  await member.getByLabel('Question', { exact: true }).fill(text);
  await expectNoAxeProblems(member);
  await member.getByRole('button', { name: 'Save and table' }).click();
  await member.getByText(/tabled/i).first().waitFor();
  const { id: questionId } = await t.db.selectFrom('questions').select('id').where('title', '=', title).executeTakeFirstOrThrow();
  assert.equal((await t.db.selectFrom('questions').select('state').where('id', '=', questionId).executeTakeFirstOrThrow()).state, 'tabled');

  // The clerk enrols in two-factor at first sign-in, then accepts the question and sees its reference.
  const clerkContext = await running.browser.newContext();
  const clerk = await signIn(clerkContext, world.actors.clerk.email);
  await clerk.waitForURL(/\/account\/two-factor\/setup/);
  assert.equal(await clerk.locator('.app-qr svg').count(), 1, 'a QR code to scan');
  const { totp_secret: clerkSecret } = await t.db.selectFrom('users').select('totp_secret').where('id', '=', world.actors.clerk.userId).executeTakeFirstOrThrow();
  await clerk.getByLabel('Code from the app').fill(currentTotp(clerkSecret!));
  await clerk.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  assert.equal(await clerk.locator('code').filter({ hasText: /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/ }).count(), 10, 'ten recovery codes');
  await clerk.goto(`${base}/work/clerk`);
  await expectNoAxeProblems(clerk);
  await clerk.getByRole('link', { name: title }).click();
  await clerk.getByRole('button', { name: 'Accept question' }).click();
  const accepted = await clerk.getByText(/Accepted as \d{4}\/\d{4}/).textContent();
  const reference = /(\d{4}\/\d{4})/.exec(accepted ?? '')![1]!;
  const [year, number] = reference.split('/').map(Number) as [number, number];

  // The approver allocates it to the police and their officer.
  const approverContext = await running.browser.newContext();
  const approver = await signInWithCode(approverContext, world.actors.approver.email, world.actors.approver.userId);
  await expectNoAxeProblems(approver);
  const questionPage = `${base}/work/answers/questions/${questionId}`;
  await approver.goto(questionPage);
  await approver.locator('#allocate-answeringBodyId').selectOption(String(world.policeId));
  await approver.locator('#allocate-officerId').selectOption(String(world.actors.policeOfficer.userId));
  await approver.getByRole('button', { name: 'Allocate' }).click();
  await approver.getByText('Wexbridge Police Service').first().waitFor();

  // The officer drafts a holding answer and submits it; the approver returns it with a comment.
  const officerContext = await running.browser.newContext();
  const officer = await signInWithCode(officerContext, world.actors.policeOfficer.email, world.actors.policeOfficer.userId);
  await expectNoAxeProblems(officer);
  await officer.getByRole('link', { name: reference }).first().click();
  await officer.locator('input[name=kind][value=holding]').check();
  await officer.locator('#draft-body').fill('We are gathering the figures from the operators.');
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.getByRole('button', { name: 'Submit for approval' }).click();
  await approver.goto(questionPage);
  await approver.locator('#return-comment').fill('Say when the figures will be ready.');
  await approver.getByRole('button', { name: 'Return with comments' }).click();

  // The officer sees the comment, redrafts and resubmits; the approver approves and publishes the holding answer.
  await officer.goto(questionPage);
  await officer.getByText('Say when the figures will be ready.').waitFor();
  await officer.getByRole('link', { name: /Edit the draft/ }).click();
  await officer.locator('textarea[name=body]').fill('We are gathering the figures from the operators and will answer in full by Friday.');
  await officer.getByRole('button', { name: 'Save changes' }).click();
  await officer.getByRole('button', { name: 'Submit for approval' }).click();
  await approver.goto(questionPage);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('button', { name: 'Publish the answer' }).click();
  await approver.getByText(/published/i).first().waitFor();

  // The substantive answer, the same way.
  await officer.goto(questionPage);
  await officer.locator('input[name=kind][value=substantive]').check();
  await officer.locator('#draft-body').fill('In October 412 night bus journeys through Eastgate were cancelled, mostly for lack of drivers.');
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.getByRole('button', { name: 'Submit for approval' }).click();
  await approver.goto(questionPage);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('button', { name: 'Publish the answer' }).click();

  // Then a correction of it.
  await officer.goto(questionPage);
  await officer.locator('input[name=kind][value=correction]').check();
  await officer.locator('#draft-correctionNote').fill('The number of journeys was wrong.');
  await officer.locator('#draft-body').fill('In October 214 night bus journeys through Eastgate were cancelled, mostly for lack of drivers.');
  await officer.getByRole('button', { name: 'Save the draft' }).click();
  await officer.getByRole('button', { name: 'Submit for approval' }).click();
  await approver.goto(questionPage);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await approver.getByRole('button', { name: 'Publish the answer' }).click();

  // The public page, with JavaScript off: three versions with their dates, and what the correction changed.
  const publicContext = await running.browser.newContext({ javaScriptEnabled: false });
  const visitor = await publicContext.newPage();
  await visitor.goto(`${base}/questions/${year}/${number}`);
  assert.equal(await visitor.locator('h1').textContent(), title);
  for (const version of [1, 2, 3]) {
    const block = visitor.locator(`#version-${version}`);
    assert.equal(await block.count(), 1, `version ${version} is shown`);
    assert.match((await block.textContent()) ?? '', /published\s+\d{1,2} \w+ \d{4}/, `version ${version} has its date`);
  }
  assert.match((await visitor.locator('#version-1').textContent()) ?? '', /Holding answer[\s\S]*answer in full by Friday/);
  assert.match((await visitor.locator('#version-2').textContent()) ?? '', /412 night bus journeys/);
  assert.match((await visitor.locator('#version-3').textContent()) ?? '', /The number of journeys was wrong/);
  assert.equal((await visitor.locator('#version-3 del').textContent())?.replace(/\[removed: |\]/g, '').trim(), '412');
  assert.equal((await visitor.locator('#version-3 ins').textContent())?.replace(/\[added: |\]/g, '').trim(), '214');
  const visitorPage = await (await running.browser.newContext()).newPage();
  await visitorPage.goto(`${base}/questions/${year}/${number}`);
  await expectNoAxeProblems(visitorPage);
  assert.doesNotMatch(await visitor.content(), /Say when the figures will be ready/, 'the return comment is never public');

  // The member was told of the reference and of each published answer, by real SMTP.
  const worker = createMailWorker(t.db, { smtpUrl: smtp.url, from: 'Answerable <no-reply@answerable.test>' }, { info() {}, warn() {}, error() {} });
  while ((await worker.runOnce()).sent > 0);
  const toMember = smtp.received.filter((m) => m.envelopeTo.includes(world.actors.member.email));
  const subjects = toMember.map((m) => m.headers.get('subject') ?? '');
  assert.ok(subjects.some((s) => s.includes(reference)), `a mail names the reference (${subjects.join(' | ')})`);
  assert.ok(toMember.filter((m) => /published/i.test(m.headers.get('subject') ?? '')).length === 3, `a mail for each published answer (${subjects.join(' | ')})`);
  const decoded = (body: string) => body.replace(/=\r?\n/g, '').replace(/\s+/g, ' ');
  assert.ok(toMember.some((m) => decoded(m.body).includes('214 night bus journeys')), `the correction is in the mail: ${toMember.map((m) => m.body).join('\n---\n')}`);
});
