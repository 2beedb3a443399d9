// Site downloads of the whole record (or of a search: the same query parameters as /search) as streamed NDJSON and
// CSV, the people and posts as Popolo JSON, and the /downloads page listing them. The exporters are the CLI's.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { popoloChunks } from '../exports/popolo-export.ts';
import { csvLines, exportQuestions, ndjsonLines, type ExportFilters } from '../exports/question-export.ts';
import { hasFilters, parseSearchQuery } from '../search/search-query.ts';
import { matchingQuestionIds } from '../search/search.queries.ts';

export async function downloadRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;

  /** The search's matches when the request narrows the record; everything public otherwise. Bad parameters are a 400. */
  async function filtersOf(request: FastifyRequest): Promise<ExportFilters> {
    const query = parseSearchQuery(request.query ?? {});
    if (!hasFilters(query)) return {};
    return { ids: (await matchingQuestionIds(db, query, { today: app.today() })) as unknown as ExportFilters['ids'] };
  }

  const stream = (reply: FastifyReply, type: string, filename: string, chunks: AsyncIterable<string>) =>
    reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-cache')
      .send(Readable.from(chunks));

  app.get('/downloads/questions.ndjson', async (request, reply) =>
    stream(reply, 'application/x-ndjson; charset=utf-8', 'questions.ndjson', ndjsonLines(exportQuestions(db, await filtersOf(request)))),
  );
  app.get('/downloads/questions.csv', async (request, reply) =>
    stream(reply, 'text/csv; charset=utf-8', 'questions.csv', csvLines(exportQuestions(db, await filtersOf(request)))),
  );
  app.get('/downloads/people.popolo.json', async (_request, reply) => stream(reply, 'application/json; charset=utf-8', 'people.popolo.json', popoloChunks(db)));

  app.get('/downloads', async (_request, reply) =>
    reply.render('downloads/views/downloads.njk', { site: await app.site(), section: 'questions', title: 'Download the record' }),
  );
}
