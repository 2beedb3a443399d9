// The admin page of past imports with their summaries (and the CSV column set), and the public CSV template.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/auth.plugin.ts';
import { formatDate, formatTime, londonDate } from '../calendar/london-time.ts';
import { CSV_COLUMNS, csvTemplate } from './formats/csv.ts';
import { IMPORT_FORMATS } from './import-model.ts';

const SHOWN_RUNS = 50;
const SHOWN_PROBLEMS = 50;

const when = (instant: Date | null) => (instant ? `${formatDate(londonDate(instant))} ${formatTime(instant)}` : '');

export async function importRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;

  app.get('/imports/template.csv', async (_request, reply) =>
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="answerable-import-template.csv"')
      .send(csvTemplate()),
  );

  app.get('/admin/imports', { preHandler: requireRole('admin') }, async (_request, reply) => {
    const runs = await db.selectFrom('import_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(SHOWN_RUNS).execute();
    return reply.render('imports/views/imports.njk', {
      site: await app.site(),
      section: 'work',
      title: 'Imports',
      formats: IMPORT_FORMATS,
      columns: CSV_COLUMNS,
      runs: runs.map((run) => {
        const problems = Array.isArray(run.problems) ? (run.problems as { position: string; problem: string }[]) : [];
        return {
          id: run.id,
          format: run.format,
          sourceName: run.source_name,
          state: run.state,
          started: when(run.started_at),
          finished: when(run.finished_at),
          records: run.records,
          created: run.created,
          updated: run.updated,
          unchanged: run.unchanged,
          skipped: run.skipped,
          message: run.message,
          problems: problems.slice(0, SHOWN_PROBLEMS).map((p) => ({ position: String(p.position), problem: String(p.problem) })),
          moreProblems: Math.max(0, run.skipped - Math.min(problems.length, SHOWN_PROBLEMS)),
        };
      }),
    });
  });
}
