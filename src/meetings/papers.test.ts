import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { QuestionSummary } from '../questions/question.queries.ts';
import type { PublicStatusView } from '../questions/public-status.ts';
import { currentAnswer } from './papers.queries.ts';
import { paperPath, paperTitle, summariseMeeting, toCsv } from './papers.ts';

function summary(overrides: Omit<Partial<QuestionSummary>, 'status'> & { status?: Partial<PublicStatusView> }): QuestionSummary {
  const { status, ...rest } = overrides;
  return {
    id: 1,
    reference: '2009/0001',
    year: 2009,
    number: 1,
    title: 'T',
    type: 'written',
    notReached: false,
    askerId: 1,
    askerSlug: 'a',
    askerName: 'A',
    meetingSlug: 'm',
    meetingDate: '2009-06-17',
    askedOn: '2009-06-17',
    dueOn: '2009-06-22',
    tabledOn: '2009-06-01',
    ...rest,
    status: { status: 'awaiting_answer', lateness: null, workingDaysLate: 0, holdingForWorkingDays: null, label: 'Awaiting answer', ...status },
  };
}

test('the meeting summary counts asked, answered orally, on time, late and still awaiting', () => {
  const questions = [
    summary({ type: 'oral', dueOn: null, status: { status: 'answered', lateness: null } }),
    summary({ type: 'oral', notReached: true, status: { status: 'answered', lateness: 'on_time' } }),
    summary({ status: { status: 'answered', lateness: 'on_time' } }),
    summary({ status: { status: 'answered', lateness: 'overdue' } }),
    summary({ status: { status: 'answered', lateness: 'very_overdue' } }),
    summary({ status: { status: 'holding_answer', lateness: 'overdue' } }),
    summary({ status: { status: 'awaiting_answer', lateness: 'not_yet_due' } }),
    summary({ askedOn: null, dueOn: null, status: { status: 'withdrawn' } }),
    // Put down for a meeting not yet held: not asked, nothing due.
    summary({ askedOn: null, dueOn: null }),
  ];
  assert.deepEqual(summariseMeeting(questions), { questions: 9, asked: 7, answeredOrally: 1, answeredOnTime: 2, answeredLate: 2, awaiting: 2, withdrawn: 1 });
  assert.deepEqual(summariseMeeting([]), { questions: 0, asked: 0, answeredOrally: 0, answeredOnTime: 0, answeredLate: 0, awaiting: 0, withdrawn: 0 });
});

test('an oral question not reached is printed "(Oral)", as London does', () => {
  assert.equal(paperTitle({ title: 'Fares', notReached: true }), 'Fares (Oral)');
  assert.equal(paperTitle({ title: 'Fares', notReached: false }), 'Fares');
});

test('each paper has a stable address for the page, the CSV and the JSON', () => {
  assert.equal(paperPath('mqt-2009-06-17', 'transcript'), '/meetings/mqt-2009-06-17/transcript');
  assert.equal(paperPath('mqt-2009-06-17', 'answers', 'csv'), '/meetings/mqt-2009-06-17/answers.csv');
  assert.equal(paperPath('mqt-2009-06-17', 'agenda', 'json'), '/api/v1/meetings/mqt-2009-06-17/papers/agenda');
});

test('the current answer is the latest substantive answer or correction, else the latest holding answer', () => {
  assert.equal(currentAnswer([]), null);
  assert.equal(currentAnswer([{ version: 1, kind: 'holding' }, { version: 2, kind: 'holding' }])?.version, 2);
  assert.equal(currentAnswer([{ version: 1, kind: 'holding' }, { version: 2, kind: 'substantive' }, { version: 3, kind: 'holding' }])?.version, 2);
  assert.equal(currentAnswer([{ version: 3, kind: 'correction' }, { version: 2, kind: 'substantive' }])?.version, 3);
});

test('CSV: quoted as needed, UTF-8 with a byte-order mark, and no cell a spreadsheet would run as a formula', () => {
  const csv = toCsv([
    ['Reference', 'Text'],
    ['2009/0001', 'Line one\nline "two", with £435,000'],
    ['2009/0002', '=HYPERLINK("http://evil.example")'],
    ['2009/0003', '-2+3'],
    ['2009/0004', '@SUM(A1)'],
    ['2009/0005', '+44 20 7983 4000'],
  ]);
  assert.ok(csv.startsWith('\ufeff'));
  assert.deepEqual(parse(csv, { bom: true }), [
    ['Reference', 'Text'],
    ['2009/0001', 'Line one\nline "two", with £435,000'],
    ['2009/0002', `'=HYPERLINK("http://evil.example")`],
    ['2009/0003', "'-2+3"],
    ['2009/0004', "'@SUM(A1)"],
    ['2009/0005', "'+44 20 7983 4000"],
  ]);
});
