// The papers generated from a meeting's record, each at a stable address as a printable page, a CSV file and JSON:
// agenda, all questions list, answered questions paper (live: it grows as answers are published) and transcript.
import type { FastifyInstance } from 'fastify';
import { formatLongDate } from '../calendar/london-time.ts';
import {
  agendaRows,
  answerRows,
  PAPER_TITLES,
  paperLinks,
  presentAgenda,
  presentAnswersPaper,
  presentQuestionsPaper,
  presentTranscript,
  questionRows,
  toCsv,
  transcriptRows,
  type PaperKind,
} from './papers.ts';
import { meetingRecord, type MeetingRecord } from './papers.queries.ts';

/** A paper: what it says, and the same as CSV rows. */
interface Paper {
  present: (record: MeetingRecord, publicUrl: string) => unknown;
  rows: (record: MeetingRecord, publicUrl: string) => string[][];
}

function paper<T>(present: (record: MeetingRecord, publicUrl: string) => T, rows: (paper: T) => string[][]): Paper {
  return { present, rows: (record, publicUrl) => rows(present(record, publicUrl)) };
}

const papers: Record<PaperKind, Paper> = {
  agenda: paper(presentAgenda, agendaRows),
  questions: paper(presentQuestionsPaper, questionRows),
  answers: paper(presentAnswersPaper, answerRows),
  transcript: paper(presentTranscript, transcriptRows),
};

export async function meetingPaperRoutes(app: FastifyInstance): Promise<void> {
  const load = (slug: string) => meetingRecord(app.ctx.db, slug, app.now(), app.today());

  for (const kind of Object.keys(papers) as PaperKind[]) {
    const { present, rows } = papers[kind];

    app.get<{ Params: { slug: string } }>(`/meetings/:slug/${kind}`, async (request, reply) => {
      const record = await load(request.params.slug);
      return reply.render(`meetings/views/paper-${kind}.njk`, {
        site: await app.site(),
        section: 'meetings',
        title: `${PAPER_TITLES[kind]}: ${record.meeting.title}, ${formatLongDate(record.meeting.meetsOn)}`,
        paperTitle: PAPER_TITLES[kind],
        kind,
        record,
        papers: paperLinks(record),
        paper: present(record, ''),
      });
    });

    app.get<{ Params: { slug: string } }>(`/meetings/:slug/${kind}.csv`, async (request, reply) => {
      const record = await load(request.params.slug);
      const csv = toCsv(rows(record, app.ctx.config.publicUrl));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${record.meeting.slug}-${kind}.csv"`)
        .send(csv);
    });

    app.get<{ Params: { slug: string } }>(`/api/v1/meetings/:slug/papers/${kind}`, async (request) => {
      const record = await load(request.params.slug);
      return present(record, app.ctx.config.publicUrl);
    });
  }
}
