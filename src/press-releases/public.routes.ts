// The public side of press releases: the list (filters in a GET form), each release's page (or its tombstone),
// Atom feeds (all, per member, group and category) and the JSON API. Only releases whose embargo has ended show.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Feed } from 'feed';
import { z } from 'zod';
import { addDays } from '../calendar/iso-date.ts';
import { londonDateTime } from '../calendar/london-time.ts';
import { AppError } from '../errors/app-error.ts';
import { formErrors } from '../web/forms.ts';
import { parseQuery } from '../web/validation.ts';
import { citationBlocks } from './citations.ts';
import { renderReleaseMarkdown, releasePlainText } from './markdown.ts';
import { presentRelease, presentReleaseSummary, releasePath, releaseView } from './press-release.presenter.ts';
import { countPublicReleases, filterChoices, publicReleases, releaseAtAddress, releaseById, type ReleaseFilters } from './press-release.queries.ts';

const PAGE_SIZE = 20;
const FEED_SIZE = 50;

const optionalSlug = (what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v), { message: `Choose a ${what} from the list` });
const optionalDay = (what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), { message: `Enter the ${what} date like 2009-06-17` });

export const ListQuery = z.object({
  member: optionalSlug('member'),
  group: optionalSlug('party group'),
  category: optionalSlug('category'),
  from: optionalDay('first'),
  to: optionalDay('last'),
  page: z.coerce.number({ error: 'The page is a whole number' }).int().min(1).max(10_000).default(1),
  perPage: z.coerce.number({ error: 'perPage is a whole number' }).int().min(1).max(100).default(PAGE_SIZE),
});
type ListQuery = z.output<typeof ListQuery>;

/** London days, inclusive, as instants. */
export function filtersOf(query: ListQuery): ReleaseFilters {
  return {
    member: query.member,
    group: query.group,
    category: query.category,
    from: query.from ? londonDateTime(query.from, '00:00') : undefined,
    to: query.to ? londonDateTime(addDays(query.to, 1), '00:00') : undefined,
  };
}

function queryString(query: Partial<ListQuery>, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['member', 'group', 'category', 'from', 'to'] as const) if (query[key]) params.set(key, String(query[key]));
  if (query.perPage && query.perPage !== PAGE_SIZE) params.set('perPage', String(query.perPage));
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The narrowest feed for the filters: one member, group or category, or everything. */
function feedFor(query: ListQuery): string {
  if (query.member && !query.group && !query.category) return `/feeds/press-releases/members/${query.member}.atom`;
  if (query.group && !query.member && !query.category) return `/feeds/press-releases/groups/${query.group}.atom`;
  if (query.category && !query.member && !query.group) return `/feeds/press-releases/categories/${query.category}.atom`;
  return '/feeds/press-releases.atom';
}

const selectItems = (choices: readonly { slug: string; name: string }[], selected: string | undefined, anyText: string) => [
  { value: '', text: anyText, selected: !selected },
  ...choices.map((c) => ({ value: c.slug, text: c.name, selected: c.slug === selected })),
];

export async function publicPressReleaseRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const publicUrl = () => app.ctx.config.publicUrl;

  app.get('/press-releases', async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const parsed = ListQuery.safeParse(raw);
    const now = app.now();
    const choices = await filterChoices(db, now);
    let errors = null;
    let query: ListQuery = { page: 1, perPage: PAGE_SIZE, member: undefined, group: undefined, category: undefined, from: undefined, to: undefined };
    if (parsed.success) query = parsed.data;
    else {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || 'form'] ??= issue.message;
      errors = formErrors(fields);
    }
    const filters = filtersOf(query);
    const [{ items, hasMore }, total] = await Promise.all([
      publicReleases(db, now, filters, { offset: (query.page - 1) * query.perPage, limit: query.perPage }),
      countPublicReleases(db, now, filters),
    ]);
    const pagination =
      query.page > 1 || hasMore
        ? {
            ...(query.page > 1 ? { previous: { href: `/press-releases${queryString(query, query.page - 1)}` } } : {}),
            ...(hasMore ? { next: { href: `/press-releases${queryString(query, query.page + 1)}` } } : {}),
          }
        : null;
    return reply.status(errors ? 400 : 200).render('press-releases/views/list.njk', {
      site: await app.site(),
      section: 'press-releases',
      title: 'Press releases',
      errorTitle: Boolean(errors),
      errors,
      releases: items,
      total,
      pagination,
      values: { from: typeof raw.from === 'string' ? raw.from : '', to: typeof raw.to === 'string' ? raw.to : '' },
      memberItems: selectItems(choices.members, query.member, 'Any member'),
      groupItems: selectItems(choices.groups, query.group, 'Any party group'),
      categoryItems: selectItems(choices.categories, query.category, 'Any category'),
      feedUrl: feedFor(query),
      apiUrl: `/api/v1/press-releases${queryString(query)}`,
    });
  });

  app.get<{ Params: { slug: string } }>('/press-releases/:slug', async (request, reply) => {
    const found = await releaseAtAddress(db, request.params.slug, app.now());
    if (!found) throw new AppError('not_found', 'The press release was not found.');
    const site = await app.site();
    if (found.kind === 'tombstone') {
      return reply.status(410).render('press-releases/views/tombstone.njk', { site, section: 'press-releases', title: 'This press release has been withdrawn', release: found.release });
    }
    const blocks = (await citationBlocks(db, [found.release.id], app.now())).get(found.release.id) ?? [];
    return reply.render('press-releases/views/release.njk', {
      site,
      section: 'press-releases',
      title: found.release.headline,
      release: releaseView(found.release, blocks),
      feedUrl: `/feeds/press-releases/members/${found.release.author.slug}.atom`,
    });
  });

  // ---- JSON ----

  app.get('/api/v1/press-releases', async (request) => {
    const query = parseQuery(ListQuery, request.query);
    const now = app.now();
    const filters = filtersOf(query);
    const { items, hasMore } = await publicReleases(db, now, filters, { offset: (query.page - 1) * query.perPage, limit: query.perPage });
    return {
      items: items.map((r) => presentReleaseSummary(r, publicUrl())),
      total: await countPublicReleases(db, now, filters),
      links: {
        self: `${publicUrl()}/api/v1/press-releases${queryString(query, query.page)}`,
        next: hasMore ? `${publicUrl()}/api/v1/press-releases${queryString(query, query.page + 1)}` : null,
      },
    };
  });

  app.get<{ Params: { slug: string } }>('/api/v1/press-releases/:slug', async (request, reply) => {
    const found = await releaseAtAddress(db, request.params.slug, app.now());
    if (!found) throw new AppError('not_found', 'The press release was not found.');
    if (found.kind === 'tombstone') {
      return reply.status(410).send({
        error: { code: 'gone', message: 'This press release was withdrawn.' },
        slug: found.release.slug,
        headline: found.release.headline,
        unpublishedAt: found.release.unpublishedAt?.toISOString() ?? null,
      });
    }
    const blocks = (await citationBlocks(db, [found.release.id], app.now())).get(found.release.id) ?? [];
    return presentRelease(found.release, blocks, publicUrl());
  });

  // ---- Atom ----

  const sendFeed = async (reply: FastifyReply, title: string, selfPath: string, filters: ReleaseFilters) => {
    const now = app.now();
    const { items } = await publicReleases(db, now, filters, { offset: 0, limit: FEED_SIZE });
    const site = await app.site();
    const base = publicUrl();
    const feed = new Feed({
      id: `${base}${selfPath}`,
      title: `${title} – ${site.name}`,
      link: `${base}/press-releases`,
      updated: items[0]?.publishedAt ?? new Date(0),
      generator: false,
      feedLinks: { atom: `${base}${selfPath}` },
      copyright: site.name,
    });
    for (const summary of items) {
      const release = await releaseById(db, summary.id);
      if (!release) continue;
      feed.addItem({
        title: release.headline,
        id: `${base}${releasePath(release.slug)}`,
        link: `${base}${releasePath(release.slug)}`,
        date: release.publishedAt ?? now,
        published: release.publishedAt ?? now,
        description: releasePlainText(release.bodyMarkdown).slice(0, 400),
        content: renderReleaseMarkdown(release.bodyMarkdown),
        author: [{ name: release.author.name, link: `${base}/members/${release.author.slug}` }],
        category: release.categories.map((c) => ({ name: c.name, term: c.slug })),
      });
    }
    return reply.type('application/atom+xml; charset=utf-8').send(feed.atom1());
  };

  app.get('/feeds/press-releases.atom', async (_request, reply) => sendFeed(reply, 'Press releases', '/feeds/press-releases.atom', {}));

  const feedSlug = (value: string): string => {
    const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.atom$/.exec(value);
    if (!match?.[1]) throw new AppError('not_found', 'That feed was not found.');
    return match[1];
  };

  app.get<{ Params: { file: string } }>('/feeds/press-releases/members/:file', async (request, reply) => {
    const slug = feedSlug(request.params.file);
    const person = await db.selectFrom('people').select('name').where('slug', '=', slug).executeTakeFirst();
    if (!person) throw new AppError('not_found', 'That feed was not found.');
    return sendFeed(reply, `Press releases by ${person.name}`, `/feeds/press-releases/members/${slug}.atom`, { member: slug });
  });

  app.get<{ Params: { file: string } }>('/feeds/press-releases/groups/:file', async (request, reply) => {
    const slug = feedSlug(request.params.file);
    const group = await db.selectFrom('organisations').select('name').where('slug', '=', slug).where('classification', '=', 'party_group').executeTakeFirst();
    if (!group) throw new AppError('not_found', 'That feed was not found.');
    return sendFeed(reply, `Press releases by ${group.name}`, `/feeds/press-releases/groups/${slug}.atom`, { group: slug });
  });

  app.get<{ Params: { file: string } }>('/feeds/press-releases/categories/:file', async (request, reply) => {
    const slug = feedSlug(request.params.file);
    const category = await db.selectFrom('press_categories').select('name').where('slug', '=', slug).executeTakeFirst();
    if (!category) throw new AppError('not_found', 'That feed was not found.');
    return sendFeed(reply, `Press releases in ${category.name}`, `/feeds/press-releases/categories/${slug}.atom`, { category: slug });
  });
}
