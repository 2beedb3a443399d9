// /sitemap.xml for search engines: an index of sitemaps, one for the pages that are not questions and one per
// 50,000 questions (the protocol's limit per file), so it stays small however large the record grows.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { releasePath } from '../press-releases/press-release.presenter.ts';
import { publicReleases } from '../press-releases/press-release.queries.ts';
import { PUBLIC_QUESTION_STATES } from '../questions/question.queries.ts';
import { formatReference } from '../questions/reference.ts';
import { xmlSafe } from './atom.ts';

export const SITEMAP_PAGE_SIZE = 50_000;
const XML_TYPE = 'application/xml; charset=utf-8';

export interface SitemapUrl {
  /** A path on this site, starting with '/'. */
  path: string;
  /** YYYY-MM-DD, when known. */
  lastmod?: string | null;
}

/**
 * The sections of /sitemaps/pages.xml. To add a kind of page, append a function here that returns its paths; each
 * is called once per request for the pages sitemap, with the app's clock (embargoed press releases are not out yet).
 */
export const SITEMAP_SECTIONS: ((db: Db, now: Date) => Promise<SitemapUrl[]>)[] = [
  async () =>
    ['/', '/search', '/members', '/groups', '/bodies', '/topics', '/meetings', '/calendar', '/press-releases', '/downloads', '/about', '/accessibility', '/api'].map(
      (path) => ({ path }),
    ),
  async (db) =>
    (
      await db
        .selectFrom('people')
        .select('people.slug')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('memberships')
              .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
              .select('memberships.id')
              .whereRef('memberships.person_id', '=', 'people.id')
              .where('organisations.classification', '=', 'assembly'),
          ),
        )
        .orderBy('people.slug')
        .execute()
    ).map((p) => ({ path: `/members/${p.slug}` })),
  async (db) =>
    (await db.selectFrom('organisations').select(['slug', 'classification']).where('classification', 'in', ['party_group', 'executive', 'functional_body']).orderBy('slug').execute()).map(
      (o) => ({ path: o.classification === 'party_group' ? `/groups/${o.slug}` : `/bodies/${o.slug}` }),
    ),
  async (db) => (await db.selectFrom('topics').select('slug').orderBy('slug').execute()).map((t) => ({ path: `/topics/${t.slug}` })),
  async (db) => (await db.selectFrom('meetings').select(['slug', 'meets_on']).orderBy('meets_on', 'desc').execute()).map((m) => ({ path: `/meetings/${m.slug}` })),
  async (db, now) =>
    (await publicReleases(db, now, {}, { offset: 0, limit: SITEMAP_PAGE_SIZE })).items.map((r) => ({
      path: releasePath(r.slug),
      lastmod: r.publishedAt ? r.publishedAt.toISOString().slice(0, 10) : null,
    })),
];

function publicQuestionIds(db: Db) {
  return db
    .selectFrom('questions')
    .where('questions.state', 'in', PUBLIC_QUESTION_STATES)
    .where('questions.question_type', '<>', 'supplementary')
    .where('questions.reference_number', 'is not', null);
}

function escapeXml(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function urlset(publicUrl: string, urls: readonly SitemapUrl[]): string {
  const lines = urls.map((u) => `  <url><loc>${escapeXml(publicUrl + u.path)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
}

export async function sitemapRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const publicUrl = () => app.ctx.config.publicUrl;

  app.get('/sitemap.xml', async (_request, reply) => {
    const row = await publicQuestionIds(db).select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirst();
    const pages = Math.max(1, Math.ceil(Number(row?.count ?? 0) / SITEMAP_PAGE_SIZE));
    const sitemaps = ['/sitemaps/pages.xml', ...Array.from({ length: pages }, (_, i) => `/sitemaps/questions-${i + 1}.xml`)];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemaps
      .map((path) => `  <sitemap><loc>${escapeXml(publicUrl() + path)}</loc></sitemap>`)
      .join('\n')}\n</sitemapindex>\n`;
    return reply.type(XML_TYPE).header('cache-control', 'public, max-age=3600').send(body);
  });

  app.get('/sitemaps/pages.xml', async (_request, reply) => {
    const sections = await Promise.all(SITEMAP_SECTIONS.map((section) => section(db, app.now())));
    return reply.type(XML_TYPE).header('cache-control', 'public, max-age=3600').send(urlset(publicUrl(), sections.flat()));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const page = Number(/^questions-([1-9]\d{0,5})\.xml$/.exec(request.params.file)?.[1] ?? NaN);
    if (!Number.isInteger(page)) return reply.callNotFound();
    const rows = await publicQuestionIds(db)
      .select(['questions.reference_year', 'questions.reference_number'])
      .select((eb) =>
        eb.selectFrom('answer_versions').whereRef('answer_versions.question_id', '=', 'questions.id').select((e) => e.fn.max('answer_versions.published_at').as('at')).as('answered_at'),
      )
      .orderBy('questions.reference_year')
      .orderBy('questions.reference_number')
      .limit(SITEMAP_PAGE_SIZE)
      .offset((page - 1) * SITEMAP_PAGE_SIZE)
      .execute();
    if (rows.length === 0 && page > 1) return reply.callNotFound();
    const urls = rows.map((r) => ({
      path: `/questions/${formatReference(r.reference_year ?? 0, r.reference_number ?? 0)}`,
      lastmod: r.answered_at ? new Date(r.answered_at).toISOString().slice(0, 10) : null,
    }));
    return reply.type(XML_TYPE).header('cache-control', 'public, max-age=3600').send(urlset(publicUrl(), urls));
  });
}
