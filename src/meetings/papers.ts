// The meeting papers generated from the record (agenda, all questions list, answered questions paper, transcript):
// what each says, as JSON (every field listed by hand) and as CSV rows. Plain functions over a MeetingRecord.
import { stringify } from 'csv-stringify/sync';
import { formatLongDate, londonDate } from '../calendar/london-time.ts';
import { questionPath } from '../questions/question.presenter.ts';
import type { QuestionSummary } from '../questions/question.queries.ts';
import { meetingTypeNames } from './meeting.presenter.ts';
import type { Exchange, MeetingRecord, PublicAnswer, RecordOral, RecordQuestion } from './papers.queries.ts';

export const PAPERS = ['agenda', 'questions', 'answers', 'transcript'] as const;
export type PaperKind = (typeof PAPERS)[number];

export const PAPER_TITLES: Record<PaperKind, string> = {
  agenda: 'Agenda',
  questions: 'All questions list',
  answers: 'Answered questions',
  transcript: 'Transcript',
};

/** The asked / answered counts a meeting page leads with. Oral questions reached were answered there and then. */
export function summariseMeeting(questions: readonly QuestionSummary[]) {
  const needsWrittenAnswer = questions.filter((q) => q.dueOn !== null && q.status.status !== 'withdrawn');
  const answered = needsWrittenAnswer.filter((q) => q.status.status === 'answered');
  const late = (q: QuestionSummary) => q.status.lateness === 'overdue' || q.status.lateness === 'very_overdue';
  return {
    questions: questions.length,
    asked: questions.filter((q) => q.askedOn !== null).length,
    answeredOrally: questions.filter((q) => q.type === 'oral' && q.askedOn !== null && !q.notReached).length,
    answeredOnTime: answered.filter((q) => !late(q)).length,
    answeredLate: answered.filter(late).length,
    awaiting: needsWrittenAnswer.filter((q) => q.status.status === 'awaiting_answer' || q.status.status === 'holding_answer').length,
    withdrawn: questions.filter((q) => q.status.status === 'withdrawn').length,
  };
}

/** A question's title as the papers print it: London marks an oral question answered in writing "(Oral)". */
export function paperTitle(q: Pick<QuestionSummary, 'title' | 'notReached'>): string {
  return q.notReached ? `${q.title} (Oral)` : q.title;
}

export function paperPath(slug: string, kind: PaperKind | 'order-paper' | 'report', format: 'html' | 'csv' | 'json' = 'html'): string {
  if (format === 'json') return `/api/v1/meetings/${slug}/papers/${kind}`;
  return `/meetings/${slug}/${kind}${format === 'csv' ? '.csv' : ''}`;
}

/** The papers a meeting has, in the order of its agenda, each with its stable addresses. */
export function paperLinks(record: MeetingRecord, publicUrl = '') {
  const slug = record.meeting.slug;
  const generated = (kind: PaperKind) => ({
    kind,
    title: PAPER_TITLES[kind],
    url: `${publicUrl}${paperPath(slug, kind)}`,
    csv: `${publicUrl}${paperPath(slug, kind, 'csv')}`,
    json: `${publicUrl}${paperPath(slug, kind, 'json')}`,
  });
  return [
    generated('agenda'),
    ...(record.papers.mayorsReport ? [{ kind: 'report', title: "The Mayor's report", url: `${publicUrl}${paperPath(slug, 'report')}`, csv: null, json: null }] : []),
    ...(record.papers.orderPaperPublished ? [{ kind: 'order-paper', title: 'Priority Order Paper', url: `${publicUrl}${paperPath(slug, 'order-paper')}`, csv: null, json: null }] : []),
    generated('questions'),
    generated('answers'),
    generated('transcript'),
  ];
}

export function presentPaperMeeting(record: MeetingRecord, publicUrl: string) {
  const m = record.meeting;
  return {
    slug: m.slug,
    url: `${publicUrl}/meetings/${m.slug}`,
    title: m.title,
    type: m.type,
    typeName: meetingTypeNames[m.type] ?? m.type,
    date: m.meetsOn,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt ? m.endsAt.toISOString() : null,
    place: m.place,
    state: m.state,
  };
}

function presentAnswer(a: PublicAnswer | null) {
  return a
    ? {
        version: a.version,
        kind: a.kind,
        delivery: a.delivery,
        text: a.text,
        answeredBy: { slug: a.answeredBy.slug, name: a.answeredBy.name, role: a.answeredBy.label },
        publishedAt: a.publishedAt.toISOString(),
      }
    : null;
}

function presentListed(item: RecordQuestion, publicUrl: string, position: number | null) {
  const q = item.question;
  return {
    reference: q.reference,
    url: `${publicUrl}${questionPath(q.year, q.number)}`,
    position,
    type: q.type,
    notReached: q.notReached,
    title: paperTitle(q),
    text: item.text,
    asker: { slug: q.askerSlug, name: q.askerName },
    askedOn: q.askedOn,
    dueOn: q.dueOn,
    status: q.status.status,
    statusLabel: q.status.label,
  };
}

const turnsOf = (turns: Exchange['turns']) => turns.map((t) => ({ speaker: { slug: t.speaker_slug, name: t.speaker_name }, text: t.body }));

function presentExchange(item: Pick<RecordOral, 'exchange'>) {
  return {
    transcript: turnsOf(item.exchange.turns),
    supplementaries: item.exchange.supplementaries.map((s) => ({
      number: s.supplementary_number,
      title: s.title,
      asker: { slug: s.asker_slug, name: s.asker_name },
      transcript: turnsOf(s.turns),
    })),
  };
}

/**
 * A paper as CSV (with a byte-order mark, so spreadsheets read it as UTF-8). A cell that a spreadsheet would run as
 * a formula (starting =, +, -, @, tab or carriage return) is prefixed with an apostrophe, as OWASP advises.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))),
    { bom: true, record_delimiter: 'windows' },
  );
}

// The agenda ----------------------------------------------------------------------------------------------------

export function presentAgenda(record: MeetingRecord, publicUrl: string) {
  const slug = record.meeting.slug;
  const link = (text: string, path: string) => ({ text, url: `${publicUrl}${path}` });
  const oralCount = record.oral.length;
  const writtenCount = record.written.length;
  const isMqt = record.meeting.type === 'mqt';
  const items: { title: string; text: string; links: { text: string; url: string }[] }[] = [
    {
      title: 'Apologies for absence and chair’s announcements',
      text: record.attendance.length > 0 ? `Present: ${record.attendance.map((a) => a.name).join(', ')}.` : 'To receive any apologies for absence and any announcements from the chair.',
      links: [],
    },
    { title: 'Declarations of interests', text: 'To note the declarations of interests made by members.', links: [] },
  ];
  if (isMqt) {
    const report = record.papers.mayorsReport;
    items.push({
      title: 'The Mayor’s report',
      text: report
        ? `The Mayor’s report, published ${formatLongDate(londonDate(report.publishedAt))}, on matters the Mayor considers should be drawn to the Assembly’s attention.`
        : record.held
          ? 'No report from the Mayor was published for this meeting.'
          : `The Mayor’s report${record.meeting.mayorsReportDueOn ? ` is due by ${formatLongDate(record.meeting.mayorsReportDueOn)}` : ' will be published before the meeting'}.`,
      links: report ? [link('The Mayor’s report', paperPath(slug, 'report'))] : [],
    });
  }
  items.push({
    title: isMqt ? 'Questions to the Mayor' : 'Questions',
    text: `${oralCount} oral ${oralCount === 1 ? 'question' : 'questions'}${record.papers.orderPaperPublished ? ', taken in the order of the Priority Order Paper' : ''}, and ${writtenCount} written ${writtenCount === 1 ? 'question' : 'questions'} for answer in writing.`,
    links: [
      ...(record.papers.orderPaperPublished ? [link('Priority Order Paper', paperPath(slug, 'order-paper'))] : []),
      link(PAPER_TITLES.questions, paperPath(slug, 'questions')),
      link(PAPER_TITLES.answers, paperPath(slug, 'answers')),
    ],
  });
  const next = record.nextMeeting;
  items.push({
    title: 'Date of the next meeting',
    text: next ? `The next meeting, ${next.title}, is on ${formatLongDate(next.meetsOn)}.` : 'The date of the next meeting has not been set.',
    links: next ? [link(next.title, `/meetings/${next.slug}`)] : [],
  });
  return {
    paper: 'agenda' as const,
    meeting: presentPaperMeeting(record, publicUrl),
    items: items.map((item, index) => ({ number: index + 1, ...item })),
  };
}

export function agendaRows(agenda: ReturnType<typeof presentAgenda>): string[][] {
  return [['Item', 'Title', 'Text', 'Links'], ...agenda.items.map((i) => [String(i.number), i.title, i.text, i.links.map((l) => l.url).join(' ')])];
}

// The all questions list ----------------------------------------------------------------------------------------

export function presentQuestionsPaper(record: MeetingRecord, publicUrl: string) {
  return {
    paper: 'questions' as const,
    meeting: presentPaperMeeting(record, publicUrl),
    oralQuestions: record.oral.map((item) => presentListed(item, publicUrl, item.position)),
    writtenQuestions: record.written.map((item) => presentListed(item, publicUrl, null)),
  };
}

export function questionRows(paper: ReturnType<typeof presentQuestionsPaper>): string[][] {
  const row = (q: ReturnType<typeof presentListed>) => [
    q.reference,
    q.type === 'oral' ? 'Oral' : 'Written',
    q.position === null ? '' : String(q.position),
    q.title,
    q.text,
    q.asker.name,
    q.askedOn ?? '',
    q.dueOn ?? '',
    q.statusLabel,
    q.url,
  ];
  return [
    ['Reference', 'Type', 'Order paper position', 'Title', 'Question', 'Asked by', 'Asked on', 'Answer due', 'Status', 'URL'],
    ...paper.oralQuestions.map(row),
    ...paper.writtenQuestions.map(row),
  ];
}

// The answered questions paper ----------------------------------------------------------------------------------

export function presentAnswersPaper(record: MeetingRecord, publicUrl: string) {
  const listed: { item: RecordQuestion; position: number | null }[] = [
    ...record.oral.map((item) => ({ item, position: item.position })),
    ...record.written.map((item) => ({ item, position: null })),
  ];
  return {
    paper: 'answers' as const,
    meeting: presentPaperMeeting(record, publicUrl),
    answers: listed
      .filter(({ item }) => item.answer !== null && item.answer.kind !== 'holding')
      .map(({ item, position }) => ({ ...presentListed(item, publicUrl, position), answer: presentAnswer(item.answer) })),
  };
}

export function answerRows(paper: ReturnType<typeof presentAnswersPaper>): string[][] {
  return [
    ['Reference', 'Type', 'Title', 'Question', 'Asked by', 'Answer', 'Answered by', 'Delivered', 'Published', 'Status', 'URL'],
    ...paper.answers.map((a) => [
      a.reference,
      a.type === 'oral' ? 'Oral' : 'Written',
      a.title,
      a.text,
      a.asker.name,
      a.answer?.text ?? '',
      a.answer ? `${a.answer.answeredBy.name}, ${a.answer.answeredBy.role}` : '',
      a.answer?.delivery === 'oral' ? 'Orally at the meeting' : 'In writing',
      a.answer?.publishedAt ?? '',
      a.statusLabel,
      a.url,
    ]),
  ];
}

// The transcript ------------------------------------------------------------------------------------------------

export function presentTranscript(record: MeetingRecord, publicUrl: string) {
  const reached = record.oral.filter((item) => item.exchange.turns.length > 0 || item.exchange.supplementaries.length > 0);
  return {
    paper: 'transcript' as const,
    meeting: presentPaperMeeting(record, publicUrl),
    present: record.attendance.map((a) => ({ slug: a.slug, name: a.name, capacity: a.capacity })),
    questions: reached.map((item) => ({
      reference: item.question.reference,
      url: `${publicUrl}${questionPath(item.question.year, item.question.number)}`,
      position: item.position,
      title: item.question.title,
      asker: { slug: item.question.askerSlug, name: item.question.askerName },
      ...presentExchange(item),
    })),
    notReached: record.oral
      .filter((item) => item.question.notReached)
      .map((item) => ({ reference: item.question.reference, title: paperTitle(item.question), asker: { slug: item.question.askerSlug, name: item.question.askerName } })),
  };
}

export function transcriptRows(paper: ReturnType<typeof presentTranscript>): string[][] {
  const rows: string[][] = [['Reference', 'Question', 'Supplementary', 'Speaker', 'Text']];
  for (const q of paper.questions) {
    for (const t of q.transcript) rows.push([q.reference, q.title, '', t.speaker.name, t.text]);
    for (const s of q.supplementaries) for (const t of s.transcript) rows.push([q.reference, s.title, String(s.number), t.speaker.name, t.text]);
  }
  return rows;
}

/** The meeting page's own JSON: the meeting, its papers, attendance, summary, and every question with its answer. */
export function presentMeetingRecord(record: MeetingRecord, publicUrl: string, presentSummary: (q: QuestionSummary) => Record<string, unknown>) {
  return {
    papers: paperLinks(record, publicUrl).map((p) => ({ kind: p.kind, title: p.title, url: p.url, csv: p.csv, json: p.json })),
    present: record.attendance.map((a) => ({ slug: a.slug, name: a.name, capacity: a.capacity })),
    summary: summariseMeeting([...record.oral, ...record.written].map((i) => i.question)),
    // Questions on the Mayor's report are a stream of their own, listed apart from the oral and written questions.
    reportQuestions: [...record.oral, ...record.written]
      .filter((item) => item.onMayorsReport)
      .map((item) => ({ ...presentSummary(item.question), answer: presentAnswer(item.answer), ...('exchange' in item ? presentExchange(item as RecordOral) : {}) })),
    oralQuestions: record.oral
      .filter((item) => !item.onMayorsReport)
      .map((item) => ({
        ...presentSummary(item.question),
        position: item.position,
        answer: presentAnswer(item.answer),
        ...presentExchange(item),
      })),
    writtenQuestions: record.written.filter((item) => !item.onMayorsReport).map((item) => ({ ...presentSummary(item.question), answer: presentAnswer(item.answer) })),
  };
}
