// The open API's own routes: its OpenAPI document (/api/v1/openapi.json), the human-readable docs page (/api), and
// the list of meetings (/api/v1/meetings), which no page has as JSON.
// CORS, ETags and 304s for every /api/v1 read are in api-http.ts.
import type { FastifyInstance } from 'fastify';
import { presentMeeting } from '../meetings/meeting.presenter.ts';
import { listMeetings } from '../meetings/meeting.queries.ts';
import { pageOf, pageQuery } from '../questions/json-pages.ts';
import { parseQuery } from '../web/validation.ts';
import { publicReleases } from '../press-releases/press-release.queries.ts';
import { publicQuestions } from '../questions/question.queries.ts';
import { docsPageModel, type ExampleSlugs } from './docs.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  // The document only changes with the code (and the assembly's name), so it is built once per name.
  let cached: { siteName: string; doc: OpenApiDocument; json: string } | undefined;
  async function document() {
    const site = await app.site();
    if (cached?.siteName !== site.name) {
      const doc = buildOpenApiDocument({ publicUrl: app.ctx.config.publicUrl, siteName: site.name });
      cached = { siteName: site.name, doc, json: JSON.stringify(doc) };
    }
    return cached;
  }

  app.get('/api/v1/openapi.json', async (_request, reply) => {
    const { json } = await document();
    return reply.type('application/json; charset=utf-8').send(json);
  });

  // Every meeting, newest first: the meetings folder serves one meeting's JSON; the list lives here with the API.
  app.get('/api/v1/meetings', async (request) => {
    const { page } = parseQuery(pageQuery, request.query);
    const url = app.ctx.config.publicUrl;
    const meetings = (await listMeetings(app.ctx.db)).map((m) => ({ ...presentMeeting(m, url), apiUrl: `${url}/api/v1/meetings/${m.slug}` }));
    return pageOf(meetings, page, (p) => `${url}/api/v1/meetings?page=${p}`);
  });

  // Real identifiers for the docs page's examples, looked up at most every five minutes.
  let examples: { at: number; value: ExampleSlugs } | undefined;
  async function exampleSlugs(): Promise<ExampleSlugs> {
    if (examples && Date.now() - examples.at > 300_000) examples = undefined;
    if (!examples) {
      const db = app.ctx.db;
      const [question, member, group, body, topic, meeting, release] = await Promise.all([
        publicQuestions(db).select(['questions.reference_year', 'questions.reference_number']).orderBy('questions.id', 'desc').executeTakeFirst(),
        db.selectFrom('questions').innerJoin('people', 'people.id', 'questions.asker_id').select('people.slug').orderBy('questions.id', 'desc').executeTakeFirst(),
        db.selectFrom('organisations').select('slug').where('classification', '=', 'party_group').orderBy('id').executeTakeFirst(),
        db.selectFrom('organisations').select('slug').where('classification', '=', 'functional_body').orderBy('id').executeTakeFirst(),
        db.selectFrom('topics').select('slug').orderBy('id').executeTakeFirst(),
        db.selectFrom('meetings').select('slug').where('state', '=', 'held').orderBy('meets_on', 'desc').executeTakeFirst(),
        publicReleases(db, app.now(), {}, { offset: 0, limit: 1 }),
      ]);
      const value: ExampleSlugs = {};
      if (question?.reference_year && question.reference_number) {
        value.questions = { year: String(question.reference_year), number: String(question.reference_number).padStart(4, '0') };
      }
      const slugs = { members: member, groups: group, bodies: body, topics: topic, meetings: meeting, 'press-releases': release.items[0] };
      for (const [kind, row] of Object.entries(slugs)) if (row) value[kind] = { slug: row.slug };
      examples = { at: Date.now(), value };
    }
    return examples.value;
  }

  app.get('/api', async (_request, reply) => {
    const { doc } = await document();
    return reply.render('api/views/docs.njk', { site: await app.site(), section: 'api', title: 'Open API', model: docsPageModel(doc, await exampleSlugs()) });
  });
}
