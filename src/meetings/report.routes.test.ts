// The Mayor's report uploaded as a document (browser form and API), and questions on the report marked by the
// clerk in the browser and shown on the public meeting page as a stream of their own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiClient, browser, signedInBrowser, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { acceptedQuestion, createWorld, type World } from '../workflow/test-factories.ts';
import { REPORT_DOCUMENT_MAX_BYTES } from './report-document.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
const now = new Date();

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]);

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
});

after(async () => {
  await app.close();
  await t.close();
});

const slugOf = async (id: number) => (await t.db.selectFrom('meetings').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
const snapshot = async () =>
  JSON.stringify({
    papers: await t.db.selectFrom('meeting_papers').selectAll().orderBy('id').execute(),
    documents: await t.db.selectFrom('meeting_paper_documents').select(['paper_id', 'file_name', 'sha256', 'byte_size']).orderBy('paper_id').execute(),
    questions: await t.db.selectFrom('questions').select(['id', 'on_mayors_report']).orderBy('id').execute(),
    audit: await t.db.selectFrom('audit_events').select('id').orderBy('id').execute(),
  });

describe("the Mayor's report as a document", () => {
  let clerk: TestBrowser;
  let url: string;
  let slug: string;

  before(async () => {
    clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);
    url = `/work/clerk/meetings/${w.meetings.future.id}/report`;
    slug = await slugOf(w.meetings.future.id);
  });

  test('files that are not a report are refused at the file field and change nothing', async () => {
    const page = await clerk.get(url);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /type="file"/);
    const before = await snapshot();
    const cases: [string, Buffer, RegExp][] = [
      ['report.exe', Buffer.from('MZ\x90\x00 not a report'), /The file must be a PDF, a Word document/],
      ['photo.png', Buffer.from('\x89PNG\r\n\x1a\n'), /The file must be a PDF, a Word document/],
      ['empty.pdf', Buffer.alloc(0), /The selected file is empty/],
      ['latin1.txt', Buffer.from([0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9]), /saved as UTF-8/],
      ['huge.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(REPORT_DOCUMENT_MAX_BYTES)]), /10 MB or smaller/],
    ];
    for (const [fileName, content, message] of cases) {
      const res = await clerk.upload(url, { title: '', body: '', action: 'publish' }, { document: { fileName, content } }, url);
      assert.equal(res.statusCode, 400, `${fileName}: ${res.statusCode}`);
      assert.match(res.body, message, fileName);
      assert.match(res.body, /href="#document"/, `${fileName}: the error summary links to the file field`);
    }
    assert.equal(await snapshot(), before);
  });

  test('a PDF with no written text is published and downloadable, exactly as uploaded', async () => {
    const res = await clerk.upload(url, { title: "Mayor's report", body: '', action: 'publish' }, { document: { fileName: 'reports/Mayor report March.pdf', content: PDF, type: 'application/pdf' } }, url);
    assert.equal(res.statusCode, 303, res.body);
    const anonymous = browser(app);
    const page = await anonymous.get(`/meetings/${slug}/report`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Download the report: Mayor report March\.pdf<\/a> \(PDF, 51 bytes\)/);
    const file = await anonymous.get(`/meetings/${slug}/report/document`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="Mayor report March\.pdf"/);
    assert.deepEqual(file.rawPayload, PDF);
    const api = await anonymous.get(`/api/v1/meetings/${slug}/papers/report`);
    const doc = api.json<{ document: { fileName: string; mediaType: string; bytes: number; url: string } }>().document;
    assert.deepEqual(doc, { ...doc, fileName: 'Mayor report March.pdf', mediaType: 'application/pdf', bytes: PDF.length, url: `http://answerable.test/meetings/${slug}/report/document` });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'meeting').where('record_id', '=', w.meetings.future.id).orderBy('id').execute();
    assert.equal(audit.at(-1)?.action, 'meeting.mayors_report_published');
    assert.equal((audit.at(-1)?.details as { document: { fileName: string } }).document.fileName, 'Mayor report March.pdf');

    // Uploading the same file again changes nothing; a new one replaces it, and the audit keeps the old file's hash.
    const same = await clerk.upload(url, { title: "Mayor's report", body: '', action: 'publish' }, { document: { fileName: 'again.pdf', content: PDF } }, url);
    assert.equal(same.statusCode, 303);
    const text = Buffer.from('\uFEFFThe Mayor reports.\r\n\r\nA second paragraph.');
    const replaced = await clerk.upload(url, { title: "Mayor's report", body: '', action: 'publish' }, { document: { fileName: 'report.txt', content: text, type: 'text/plain' } }, url);
    assert.equal(replaced.statusCode, 303, replaced.body);
    const paper = await t.db.selectFrom('meeting_papers').select(['body']).where('meeting_id', '=', w.meetings.future.id).executeTakeFirstOrThrow();
    assert.equal(paper.body, 'The Mayor reports.\n\nA second paragraph.', 'a text file stands as the written text');
    const after = await anonymous.get(`/meetings/${slug}/report`);
    assert.match(after.body, /<p class="govuk-body">The Mayor reports\.<\/p>\s*<p class="govuk-body">A second paragraph\.<\/p>/);
    const revised = await t.db.selectFrom('audit_events').select(['action', 'details']).where('record_type', '=', 'meeting').where('record_id', '=', w.meetings.future.id).orderBy('id').execute();
    assert.deepEqual(revised.slice(-1).map((a) => a.action), ['meeting.mayors_report_revised']);
    assert.equal(revised.filter((a) => a.action === 'meeting.mayors_report_revised').length, 1, 'the identical upload was not a revision');
  });

  test('through the API, as base64; bad base64 or a bad file is a 400 that changes nothing', async () => {
    const api = await apiClient(app, t.db, w.actors.clerk);
    const meetingId = w.meetings.later.id;
    const before = await snapshot();
    const bad = await api.send('POST', `/api/v1/work/meetings/${meetingId}/report`, { document: { fileName: 'r.pdf', contentBase64: '***' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, 'validation_failed');
    const notPdf = await api.send('POST', `/api/v1/work/meetings/${meetingId}/report`, { document: { fileName: 'r.pdf', contentBase64: Buffer.from('hello').toString('base64') } });
    assert.equal(notPdf.statusCode, 400);
    assert.match(notPdf.json<{ error: { fields: { document: string } } }>().error.fields.document, /must be a PDF/);
    assert.equal(await snapshot(), before);
    const ok = await api.send('POST', `/api/v1/work/meetings/${meetingId}/report`, { document: { fileName: 'report.pdf', contentBase64: PDF.toString('base64') }, publish: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json<{ document: unknown }>().document, { fileName: 'report.pdf', description: 'PDF, 51 bytes' });
  });
});

describe("questions on the Mayor's report, marked in the browser", () => {
  test('the clerk puts a question on the report; the public meeting page lists it apart from the oral questions', async () => {
    const meetingId = w.meetings.later.id;
    const slug = await slugOf(meetingId);
    const onReport = await acceptedQuestion(t.db, w, { type: 'oral', title: 'The river plan in the report', meeting: w.meetings.later, now });
    const other = await acceptedQuestion(t.db, w, { type: 'oral', title: 'Bus routes in the north', meeting: w.meetings.later, now });
    const clerk = await signedInBrowser(app, t.db, w.actors.clerk, now);
    const url = `/work/clerk/meetings/${meetingId}/report`;
    const page = await clerk.get(url);
    assert.match(page.body, /Put on the report<span class="govuk-visually-hidden">: /);

    const put = await clerk.post(`${url}/questions`, { questionId: String(onReport.questionId), onMayorsReport: 'true' }, url);
    assert.equal(put.statusCode, 303);
    assert.match((await clerk.get(url)).body, /is now on the Mayor&#39;s report/);
    const question = await t.db.selectFrom('questions').select('on_mayors_report').where('id', '=', onReport.questionId).executeTakeFirstOrThrow();
    assert.equal(question.on_mayors_report, true);

    const pub = await browser(app).get(`/meetings/${slug}`);
    const reportSection = pub.body.slice(pub.body.indexOf('id="report-questions"'), pub.body.indexOf('>Oral questions</h2>'));
    assert.match(reportSection, new RegExp(`${onReport.reference}: The river plan in the report`));
    assert.doesNotMatch(reportSection, /Bus routes in the north/);
    const oralSection = pub.body.slice(pub.body.indexOf('>Oral questions</h2>'));
    assert.match(oralSection, new RegExp(`${other.reference}: Bus routes in the north`));
    assert.doesNotMatch(oralSection, /The river plan in the report/);
    const api = (await browser(app).get(`/api/v1/meetings/${slug}`)).json<{ reportQuestions: { reference: string }[]; oralQuestions: { reference: string }[] }>();
    assert.deepEqual(api.reportQuestions.map((q) => q.reference), [onReport.reference]);
    assert.ok(!api.oralQuestions.some((q) => q.reference === onReport.reference));

    // Only the clerk marks: the Mayor's office sees the list without the buttons, and its post is refused.
    const approver = await signedInBrowser(app, t.db, w.actors.approver, now);
    assert.doesNotMatch((await approver.get(url)).body, /Take off the report/);
    const before = await snapshot();
    const refused = await approver.post(`${url}/questions`, { questionId: String(onReport.questionId), onMayorsReport: 'false' }, url);
    assert.equal(refused.statusCode, 403);
    assert.equal(await snapshot(), before);

    const off = await clerk.post(`${url}/questions`, { questionId: String(onReport.questionId), onMayorsReport: 'false' }, url);
    assert.equal(off.statusCode, 303);
    assert.doesNotMatch((await browser(app).get(`/meetings/${slug}`)).body, /id="report-questions"/);
  });
});
