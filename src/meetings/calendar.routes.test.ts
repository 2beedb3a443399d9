import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { londonDateTime } from '../calendar/london-time.ts';
import { apiClient, browser, signedInBrowser, type TestBrowser } from '../testing/web-client.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { acceptedQuestion, createWorld, draftQuestion, type World } from '../workflow/test-factories.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
/** Monday 1 March 2027, 9am in London. The world's own MQTs are in March and April 2027, at "City Hall". */
const now = londonDateTime('2027-03-01', '09:00');
const CHAMBER = 'The Chamber, City Hall';

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => now });
});
after(async () => {
  await app.close();
  await t.close();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string>; warnings?: { code: string; rule: string; message: string }[] } };
const json = (res: LightMyRequestResponse) => res.json<Json>();
const clerk = () => signedInBrowser(app, t.db, w.actors.clerk, now);

/** The schedule form as a browser sends it. */
function meetingForm(day: string, month: string, year: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    meetingType: 'mqt',
    'meetsOn-day': day,
    'meetsOn-month': month,
    'meetsOn-year': year,
    startTime: '10:00',
    endTime: '12:30',
    place: CHAMBER,
    'tablingCutoffOn-day': '',
    'tablingCutoffOn-month': '',
    'tablingCutoffOn-year': '',
    tablingCutoffTime: '',
    'mayorsReportDueOn-day': '',
    'mayorsReportDueOn-month': '',
    'mayorsReportDueOn-year': '',
    ...extra,
  };
}

const meetingBySlug = (slug: string) => t.db.selectFrom('meetings').selectAll().where('slug', '=', slug).executeTakeFirst();
const auditOf = (id: number) => t.db.selectFrom('audit_events').select(['action', 'details', 'actor_id']).where('record_type', '=', 'meeting').where('record_id', '=', id).orderBy('id').execute();
async function calendarSnapshot(): Promise<string> {
  const meetings = await t.db.selectFrom('meetings').selectAll().orderBy('id').execute();
  const audit = await t.db.selectFrom('audit_events').select(['id']).where('record_type', 'in', ['meeting', 'question']).orderBy('id').execute();
  const papers = await t.db.selectFrom('meeting_papers').selectAll().orderBy('id').execute();
  return JSON.stringify({ meetings, audit, papers });
}

async function schedule(b: TestBrowser, form: Record<string, string | string[]>) {
  return b.post('/work/clerk/calendar/new', form, '/work/clerk/calendar/new');
}

/** A minimal RFC 5545 reader: unfolds lines, splits components, and reads each VEVENT's properties (name, params, value). */
function parseIcs(body: string) {
  const unfolded = body.replace(/\r\n[ \t]/g, '');
  const lines = unfolded.split('\r\n').filter((l) => l.length > 0);
  const unescape = (v: string) => v.replace(/\\n/gi, '\n').replace(/\\([\\;,])/g, '$1');
  const events: Record<string, { params: string; value: string }>[] = [];
  let current: Record<string, { params: string; value: string }> | null = null;
  const components: string[] = [];
  for (const line of lines) {
    if (line.startsWith('BEGIN:')) components.push(line.slice(6));
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT' && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const [name = '', ...params] = line.slice(0, colon).split(';');
      current[name] = { params: params.join(';'), value: unescape(line.slice(colon + 1)) };
    }
  }
  return { lines, components, events };
}

describe('scheduling an MQT in the browser', () => {
  test('the clerk schedules an MQT: saved with its defaults, audited, listed, and public', async () => {
    const b = await clerk();
    const form = await b.get('/work/clerk/calendar/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1 class="govuk-heading-l">Schedule a meeting<\/h1>/);
    assert.match(form.body, /name="meetsOn-day"/);
    assert.match(form.body, /7 working days before the meeting, at 12 noon/);

    const res = await schedule(b, meetingForm('16', '6', '2027'));
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/work/clerk/calendar');
    const row = await meetingBySlug('mqt-2027-06-16');
    assert.ok(row);
    assert.equal(row.assembly_id, w.assemblyId);
    assert.equal(row.starts_at.toISOString(), '2027-06-16T09:00:00.000Z');
    assert.equal(row.tabling_cutoff_at.toISOString(), '2027-06-07T11:00:00.000Z');
    assert.equal(row.mayors_report_due_on, '2027-06-10');
    const audit = await auditOf(row.id);
    assert.deepEqual(audit.map((a) => [a.action, a.actor_id]), [['meeting.scheduled', w.actors.clerk.userId]]);

    const list = await b.get('/work/clerk/calendar');
    assert.match(list.body, /Mayor&#39;s Question Time on Wednesday 16 June 2027 was scheduled\./);
    assert.match(list.body, new RegExp(`href="/work/clerk/calendar/${row.id}/edit"`));
    assert.match(list.body, new RegExp(`href="/work/clerk/meetings/${row.id}/report"`));

    const pub = await browser(app).get('/calendar');
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /href="\/meetings\/mqt-2027-06-16"/);
    assert.match(pub.body, /Wednesday 16 June 2027/);
    assert.match(pub.body, /Monday 7 June 2027, 12:00pm/);
    assert.match(pub.body, /href="\/meetings"/);
    assert.match(pub.body, /href="\/calendar.ics"/);
    assert.doesNotMatch(pub.body, new RegExp(`held-${w.tag}`), 'past meetings are not on the calendar');
  });

  test('21 days after another MQT: the 28-day warning, saved only once confirmed, and the audit records it', async () => {
    const b = await clerk();
    assert.equal((await schedule(b, meetingForm('8', '9', '2027'))).statusCode, 303);
    const before = await calendarSnapshot();

    const warned = await schedule(b, meetingForm('29', '9', '2027'));
    assert.equal(warned.statusCode, 409);
    assert.match(warned.body, /Check the assembly’s rules/);
    assert.match(warned.body, /MQTs must be at least 28 days apart: the previous MQT is on Wednesday 8 September 2027, 21 days before/);
    assert.match(warned.body, /I have checked these warnings and want to schedule the meeting anyway/);
    assert.match(warned.body, /name="confirmWarnings" type="checkbox" value="mqt_min_gap:2027-09-08:21"/);
    assert.match(warned.body, /name="warningsShown" value="mqt_min_gap:2027-09-08:21"/);
    assert.match(warned.body, /name="meetsOn-day" type="text" value="29"/, 'the form keeps what was typed');
    assert.equal(await calendarSnapshot(), before, 'nothing saved on a warning');

    // Sent back without ticking the box: an error linking to the box.
    const unticked = await schedule(b, meetingForm('29', '9', '2027', { warningsShown: 'mqt_min_gap:2027-09-08:21' }));
    assert.equal(unticked.statusCode, 400);
    assert.match(unticked.body, /<a href="#confirmWarnings">Tick the box to confirm you have checked the warnings, or change the meeting<\/a>/);
    assert.equal(await calendarSnapshot(), before);

    // Ticked, but the date changed since: the new breach is warned about afresh.
    const changed = await schedule(b, meetingForm('28', '9', '2027', { warningsShown: 'mqt_min_gap:2027-09-08:21', confirmWarnings: 'mqt_min_gap:2027-09-08:21' }));
    assert.equal(changed.statusCode, 409);
    assert.match(changed.body, /20 days before/);
    assert.equal(await calendarSnapshot(), before);

    const confirmed = await schedule(b, meetingForm('29', '9', '2027', { warningsShown: 'mqt_min_gap:2027-09-08:21', confirmWarnings: 'mqt_min_gap:2027-09-08:21' }));
    assert.equal(confirmed.statusCode, 303, confirmed.body);
    const row = await meetingBySlug('mqt-2027-09-29');
    assert.ok(row);
    const audit = await auditOf(row.id);
    assert.equal(audit[0]?.action, 'meeting.scheduled');
    assert.deepEqual((audit[0]?.details as { confirmedWarnings: unknown }).confirmedWarnings, [
      { code: 'mqt_min_gap:2027-09-08:21', rule: 'mqt_min_gap', message: 'MQTs must be at least 28 days apart: the previous MQT is on Wednesday 8 September 2027, 21 days before' },
    ]);
    assert.match((await b.get('/work/clerk/calendar')).body, /was scheduled, with 1 warning confirmed\./);
  });

  test('a meeting in the past, a cut-off after the meeting, and a room already booked: a clear message, nothing saved', async () => {
    const b = await clerk();
    assert.equal((await schedule(b, meetingForm('3', '11', '2027', { meetingType: 'plenary' }))).statusCode, 303);
    const before = await calendarSnapshot();

    const past = await schedule(b, meetingForm('17', '2', '2027'));
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /<a href="#meetsOn-day">The meeting must be in the future: Wednesday 17 February 2027 at 10:00am has already passed<\/a>/);

    const cutoff = await schedule(
      b,
      meetingForm('10', '11', '2027', { 'tablingCutoffOn-day': '11', 'tablingCutoffOn-month': '11', 'tablingCutoffOn-year': '2027', tablingCutoffTime: '9am' }),
    );
    assert.equal(cutoff.statusCode, 400);
    assert.match(cutoff.body, /<a href="#tablingCutoffOn-day">The tabling cut-off must be before the meeting starts/);

    const clash = await schedule(b, meetingForm('3', '11', '2027', { meetingType: 'budget', startTime: '11:00', endTime: '13:00' }));
    assert.equal(clash.statusCode, 400);
    assert.match(clash.body, /The Chamber, City Hall is already booked at that time: Plenary on Wednesday 3 November 2027, 10:00am to 12:30pm/);
    assert.match(clash.body, /href="#startTime"/);

    const junk = await schedule(b, meetingForm('31', '2', '2028', { startTime: 'lunchtime', place: '' }));
    assert.equal(junk.statusCode, 400);
    assert.match(junk.body, /The date of the meeting must be a real date/);
    assert.match(junk.body, /Enter the start time as a time of day/);
    assert.match(junk.body, /Enter the place of the meeting/);
    assert.equal(await calendarSnapshot(), before);
  });

  test('reschedule (the slug stays), refuse a clash, and cancel with a reason', async () => {
    const b = await clerk();
    assert.equal((await schedule(b, meetingForm('12', '1', '2028'))).statusCode, 303);
    assert.equal((await schedule(b, meetingForm('12', '1', '2028', { meetingType: 'plenary', place: 'Committee Room 1' }))).statusCode, 303);
    const row = await meetingBySlug('mqt-2028-01-12');
    assert.ok(row);
    const edit = await b.get(`/work/clerk/calendar/${row.id}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /name="meetsOn-day" type="text" value="12"/);
    assert.match(edit.body, /name="startTime" type="text" value="10:00"/);
    assert.match(edit.body, /Cancel the meeting/);

    const editUrl = `/work/clerk/calendar/${row.id}/edit`;
    const moved = await b.post(editUrl, meetingForm('12', '1', '2028', { startTime: '14:00', endTime: '16:00' }), editUrl);
    assert.equal(moved.statusCode, 303, moved.body);
    const after = await meetingBySlug('mqt-2028-01-12');
    assert.equal(after?.starts_at.toISOString(), '2028-01-12T14:00:00.000Z');

    const before = await calendarSnapshot();
    const clash = await b.post(editUrl, meetingForm('12', '1', '2028', { place: 'committee room 1' }), editUrl);
    assert.equal(clash.statusCode, 400);
    assert.match(clash.body, /Committee Room 1 is already booked at that time/);
    assert.equal(await calendarSnapshot(), before);

    const noReason = await b.post(`/work/clerk/calendar/${row.id}/cancel`, { reason: '' }, editUrl);
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /<a href="#reason">Enter the reason for cancelling the meeting<\/a>/);
    assert.equal(await calendarSnapshot(), before);
    const cancelled = await b.post(`/work/clerk/calendar/${row.id}/cancel`, { reason: 'The Mayor is at a summit.' }, editUrl);
    assert.equal(cancelled.statusCode, 303);
    assert.equal((await meetingBySlug('mqt-2028-01-12'))?.state, 'cancelled');
    assert.deepEqual((await auditOf(row.id)).map((a) => a.action), ['meeting.scheduled', 'meeting.rescheduled', 'meeting.cancelled']);
    assert.match((await browser(app).get('/calendar')).body, /Cancelled/);
  });

  test('non-clerks are refused (403), anonymous visitors sent to sign in, and nothing changes', async () => {
    const before = await calendarSnapshot();
    for (const actor of [w.actors.member, w.actors.approver, w.actors.admin, w.actors.policeOfficer]) {
      const b = await signedInBrowser(app, t.db, actor, now);
      assert.equal((await b.get('/work/clerk/calendar/new')).statusCode, 403);
      assert.equal((await b.get('/work/clerk/calendar')).statusCode, 403);
      const account = await b.get('/account');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1] ?? '';
      assert.equal((await b.post('/work/clerk/calendar/new', { ...meetingForm('1', '12', '2027'), _csrf: csrf })).statusCode, 403);
      const api = await apiClient(app, t.db, actor);
      assert.equal((await api.send('POST', '/api/v1/work/meetings', { meetingType: 'mqt', meetsOn: '2027-12-01', startTime: '10:00', endTime: '12:00', place: CHAMBER })).statusCode, 403);
    }
    const anonymous = await browser(app).get('/work/clerk/calendar/new');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/sign-in/);
    assert.equal(await calendarSnapshot(), before);
  });
});

describe('the API', () => {
  const body = (meetsOn: string, extra: Record<string, unknown> = {}) => ({ meetingType: 'mqt', meetsOn, startTime: '10:00', endTime: '12:30', place: CHAMBER, ...extra });

  test('schedule: 201 with the meeting; warnings as 409 confirmation_required until confirmed by code', async () => {
    const api = await apiClient(app, t.db, w.actors.clerk);
    const created = await api.send('POST', '/api/v1/work/meetings', body('2028-02-16'));
    assert.equal(created.statusCode, 201, created.body);
    const meeting = json(created);
    assert.deepEqual(Object.keys(meeting).sort(), [
      'confirmedWarnings',
      'date',
      'endsAt',
      'icalUid',
      'id',
      'mayorsReportDueOn',
      'place',
      'slug',
      'startsAt',
      'state',
      'tablingCutoffAt',
      'title',
      'type',
      'typeName',
      'url',
    ]);
    assert.equal(meeting.slug, 'mqt-2028-02-16');
    assert.equal(meeting.icalUid, 'mqt-2028-02-16@answerable.test');
    assert.equal(meeting.mayorsReportDueOn, '2028-02-10');

    const before = await calendarSnapshot();
    const warned = await api.send('POST', '/api/v1/work/meetings', body('2028-03-08'));
    assert.equal(warned.statusCode, 409);
    const error = json(warned).error;
    assert.equal(error?.code, 'confirmation_required');
    assert.deepEqual(error?.warnings, [
      { code: 'mqt_min_gap:2028-02-16:21', rule: 'mqt_min_gap', field: 'meetsOn', message: 'MQTs must be at least 28 days apart: the previous MQT is on Wednesday 16 February 2028, 21 days before' },
    ]);
    assert.match(error?.message ?? '', /MQTs must be at least 28 days apart/);
    assert.equal(await calendarSnapshot(), before);

    const confirmed = await api.send('POST', '/api/v1/work/meetings', body('2028-03-08', { confirmWarnings: ['mqt_min_gap:2028-02-16:21'] }));
    assert.equal(confirmed.statusCode, 201);
    assert.deepEqual((json(confirmed).confirmedWarnings as { code: string }[]).map((c) => c.code), ['mqt_min_gap:2028-02-16:21']);
  });

  test('bad input: past, cut-off after the meeting, same room at the same time, junk: 400 with fields, nothing changes', async () => {
    const api = await apiClient(app, t.db, w.actors.clerk);
    assert.equal((await api.send('POST', '/api/v1/work/meetings', body('2028-04-12', { meetingType: 'plenary' }))).statusCode, 201);
    const before = await calendarSnapshot();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [body('2027-02-17'), 'meetsOn', /^The meeting must be in the future/],
      [body('2028-04-19', { tablingCutoffOn: '2028-04-20' }), 'tablingCutoffOn', /^The tabling cut-off must be before the meeting starts/],
      [body('2028-04-12', { meetingType: 'budget', startTime: '12:00', endTime: '13:00' }), 'startTime', /already booked at that time: Plenary/],
      [body('2028-04-19', { endTime: '09:00' }), 'endTime', /must end after it starts/],
      [{ meetingType: 'tea party', meetsOn: 'soon' }, 'meetingType', /Choose the type of meeting/],
    ];
    for (const [input, field, message] of cases) {
      const res = await api.send('POST', '/api/v1/work/meetings', input);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.equal(json(res).error?.code, 'validation_failed');
      assert.match(json(res).error?.fields?.[field] ?? '', message);
    }
    assert.equal(await calendarSnapshot(), before);
  });

  test('reschedule and cancel through the API', async () => {
    const api = await apiClient(app, t.db, w.actors.clerk);
    const id = Number(json(await api.send('POST', '/api/v1/work/meetings', body('2028-05-17'))).id);
    const moved = await api.send('POST', `/api/v1/work/meetings/${id}/reschedule`, body('2028-05-17', { place: 'Committee Room 3' }));
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(json(moved).place, 'Committee Room 3');
    assert.equal(json(moved).slug, 'mqt-2028-05-17');
    const cancelled = await api.send('POST', `/api/v1/work/meetings/${id}/cancel`, { reason: 'No quorum' });
    assert.equal(cancelled.statusCode, 200);
    assert.equal(json(cancelled).state, 'cancelled');
    assert.equal((await api.send('POST', `/api/v1/work/meetings/${id}/cancel`, { reason: 'Again' })).statusCode, 409);
    assert.equal((await api.send('POST', '/api/v1/work/meetings/999999/cancel', { reason: 'x' })).statusCode, 404);
  });

  test('the public calendar as JSON', async () => {
    const res = await browser(app).get('/api/v1/calendar');
    assert.equal(res.statusCode, 200);
    const data = json(res) as { count: number; icalUrl: string; meetings: { slug: string; date: string; state: string }[] };
    assert.equal(data.icalUrl, 'http://answerable.test/calendar.ics');
    assert.ok(data.meetings.some((m) => m.slug === 'mqt-2027-06-16'));
    assert.ok(data.meetings.every((m) => m.date >= '2027-03-01'));
    assert.equal(data.count, data.meetings.length);
  });
});

describe('the iCalendar feed', () => {
  test('lists upcoming meetings with stable UIDs, London times and the right content type', async () => {
    const res = await browser(app).get('/calendar.ics');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.ok(res.body.startsWith('BEGIN:VCALENDAR\r\n'));
    assert.ok(res.body.trimEnd().endsWith('END:VCALENDAR'));
    const { lines, components, events } = parseIcs(res.body);
    for (const line of res.body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    assert.ok(lines.includes('VERSION:2.0'));
    assert.ok(components.includes('VTIMEZONE'), 'the zone is defined');
    assert.ok(lines.includes('TZID:Europe/London'));

    const june = events.find((e) => e.UID?.value === 'mqt-2027-06-16@answerable.test');
    assert.ok(june, 'the scheduled MQT is in the feed');
    assert.deepEqual(june.DTSTART, { params: 'TZID=Europe/London', value: '20270616T100000' });
    assert.deepEqual(june.DTEND, { params: 'TZID=Europe/London', value: '20270616T123000' });
    assert.equal(june.SUMMARY?.value, "Mayor's Question Time");
    assert.equal(june.LOCATION?.value, CHAMBER);
    assert.equal(june.STATUS?.value, 'CONFIRMED');
    assert.equal(june.URL?.value, 'http://answerable.test/meetings/mqt-2027-06-16');
    assert.match(june.DESCRIPTION?.value ?? '', /Questions cut-off: Monday 7 June 2027 at 12:00pm\./);
    assert.match(june.DTSTAMP?.value ?? '', /^\d{8}T\d{6}Z$/, 'DTSTAMP in UTC');

    // Winter meetings are in GMT: 10am is written as 10am, not shifted.
    const winter = events.find((e) => e.UID?.value === 'mqt-2028-02-16@answerable.test');
    assert.equal(winter?.DTSTART?.value, '20280216T100000');
    // A cancelled meeting stays in the feed, marked so, with a higher sequence, so calendars remove it.
    const cancelled = events.find((e) => e.UID?.value === 'mqt-2028-01-12@answerable.test');
    assert.equal(cancelled?.STATUS?.value, 'CANCELLED');
    assert.equal(cancelled?.SEQUENCE?.value, '2');
    // Past meetings are not.
    assert.ok(!events.some((e) => e.UID?.value === `held-${w.tag}@answerable.test`));
    const uids = events.map((e) => e.UID?.value);
    assert.equal(new Set(uids).size, uids.length, 'UIDs are unique');
  });
});

describe("the Mayor's report", () => {
  test('drafted, then published: public only after publishing, audited, and escaped', async () => {
    const b = await clerk();
    assert.equal((await schedule(b, meetingForm('14', '7', '2027'))).statusCode, 303);
    const meeting = await meetingBySlug('mqt-2027-07-14');
    assert.ok(meeting);
    const url = `/work/clerk/meetings/${meeting.id}/report`;
    const page = await b.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Not started/);
    assert.match(page.body, /Thursday 8 July 2027/, 'the deadline');

    const body = 'Since the last meeting I have <b>launched</b> the river plan.\n\nSecond paragraph.';
    const draft = await b.post(url, { title: "Mayor's report, July", body, action: 'draft' }, url);
    assert.equal(draft.statusCode, 303);
    const anonymous = browser(app);
    assert.equal((await anonymous.get('/meetings/mqt-2027-07-14/report')).statusCode, 404);
    assert.equal((await anonymous.get('/api/v1/meetings/mqt-2027-07-14/papers/report')).statusCode, 404);
    assert.match((await b.get(url)).body, /Draft/);

    const empty = await b.post(url, { title: '', body: '  ', action: 'publish' }, url);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<a href="#body">Enter the text of the Mayor&#39;s report, or upload it as a document<\/a>/);

    const published = await b.post(url, { title: "Mayor's report, July", body, action: 'publish' }, url);
    assert.equal(published.statusCode, 303);
    const pub = await anonymous.get('/meetings/mqt-2027-07-14/report');
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /<h1 class="govuk-heading-l">Mayor&#39;s report, July<\/h1>/);
    assert.match(pub.body, /I have &lt;b&gt;launched&lt;\/b&gt; the river plan\.<\/p>\s*<p class="govuk-body">Second paragraph\./);
    assert.match(pub.body, /Published Monday 1 March 2027; due by Thursday 8 July 2027/);
    const apiRes = await anonymous.get('/api/v1/meetings/mqt-2027-07-14/papers/report');
    assert.equal(apiRes.statusCode, 200);
    assert.deepEqual(Object.keys(json(apiRes)).sort(), ['body', 'document', 'dueOn', 'meeting', 'publishedAt', 'questions', 'title', 'url']);

    const paper = await t.db.selectFrom('meeting_papers').selectAll().where('meeting_id', '=', meeting.id).executeTakeFirstOrThrow();
    assert.equal(paper.kind, 'mayors_report');
    assert.equal(paper.published_at?.toISOString(), now.toISOString());
    // Published stays published: a draft save is refused; a change is published and keeps the old text in the audit.
    const before = await calendarSnapshot();
    const backToDraft = await b.post(url, { title: 'x', body: 'y', action: 'draft' }, url);
    assert.equal(backToDraft.statusCode, 409);
    assert.equal(await calendarSnapshot(), before);
    assert.equal((await b.post(url, { title: "Mayor's report, July", body: `${body}\n\nA late addition.`, action: 'publish' }, url)).statusCode, 303);
    const audit = await auditOf(meeting.id);
    assert.deepEqual(audit.map((a) => a.action), ['meeting.scheduled', 'meeting.mayors_report_drafted', 'meeting.mayors_report_published', 'meeting.mayors_report_revised']);
    assert.equal((audit[3]?.details as { previousBody: string }).previousBody, body);
  });

  test('through the API, with questions on the report a stream of their own', async () => {
    const api = await apiClient(app, t.db, w.actors.clerk);
    const { questionId, reference } = await acceptedQuestion(t.db, w, { type: 'oral', title: 'The river plan', now });
    const draftId = await draftQuestion(t.db, w, { title: 'A private draft', now });
    const meetingId = w.meetings.future.id;
    const slug = (await t.db.selectFrom('meetings').select('slug').where('id', '=', meetingId).executeTakeFirstOrThrow()).slug;

    const saved = await api.send('POST', `/api/v1/work/meetings/${meetingId}/report`, { body: 'The report.', publish: true });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(json(saved).state, 'published');
    assert.equal(json(saved).title, "Mayor's report");

    const marked = await api.send('POST', `/api/v1/work/meetings/${meetingId}/report/questions`, { questionId, onMayorsReport: true });
    assert.equal(marked.statusCode, 200, marked.body);
    assert.equal(json(marked).changed, true);
    assert.equal((await t.db.selectFrom('questions').select('on_mayors_report').where('id', '=', questionId).executeTakeFirstOrThrow()).on_mayors_report, true);
    const pub = await browser(app).get(`/meetings/${slug}/report`);
    assert.match(pub.body, new RegExp(`href="/questions/${reference}">${reference}: The river plan</a>`));
    const audit = await t.db.selectFrom('audit_events').select('action').where('record_type', '=', 'question').where('record_id', '=', questionId).orderBy('id').execute();
    assert.equal(audit.at(-1)?.action, 'question.put_on_mayors_report');

    const before = await calendarSnapshot();
    assert.equal((await api.send('POST', `/api/v1/work/meetings/${meetingId}/report/questions`, { questionId: draftId, onMayorsReport: true })).statusCode, 404);
    const elsewhere = await api.send('POST', `/api/v1/work/meetings/${w.meetings.later.id}/report/questions`, { questionId, onMayorsReport: true });
    assert.equal(elsewhere.statusCode, 400);
    assert.equal(json(elsewhere).error?.fields?.questionId, 'That question is not for this meeting');
    // The report of a meeting already held cannot change.
    assert.equal((await api.send('POST', `/api/v1/work/meetings/${w.meetings.held.id}/report`, { body: 'Late.' })).statusCode, 409);
    for (const actor of [w.actors.member, w.actors.policeOfficer, w.actors.admin]) {
      const other = await apiClient(app, t.db, actor);
      assert.equal((await other.send('POST', `/api/v1/work/meetings/${meetingId}/report`, { body: 'Mine now.', publish: true })).statusCode, 403);
    }
    const approverApi = await apiClient(app, t.db, w.actors.approver);
    assert.equal((await approverApi.send('POST', `/api/v1/work/meetings/${meetingId}/report/questions`, { questionId, onMayorsReport: false })).statusCode, 403);
    assert.equal(await calendarSnapshot(), before);
  });

  test("the Mayor's office may write and publish the report too", async () => {
    const approver = await signedInBrowser(app, t.db, w.actors.approver, now);
    const url = `/work/clerk/meetings/${w.meetings.later.id}/report`;
    const page = await approver.get(url);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /href="\/work\/clerk\/calendar"/, 'no link to a page the approver cannot open');
    const res = await approver.post(url, { title: '', body: 'From the Mayor’s office.', action: 'publish' }, url);
    assert.equal(res.statusCode, 303, res.body);
    const audit = await auditOf(w.meetings.later.id);
    assert.equal(audit.at(-1)?.action, 'meeting.mayors_report_published');
    assert.equal(audit.at(-1)?.actor_id, w.actors.approver.userId);
  });
});
