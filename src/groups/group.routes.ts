// Party group pages and their JSON twins: the groups, and one group's members, questions and promptness.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { pageOf, pageQuery, slugParam } from '../questions/json-pages.ts';
import { renderMissing } from '../questions/question.routes.ts';
import { presentProfile, recordProfile } from '../questions/record-profile.queries.ts';
import { parseQuery } from '../web/validation.ts';
import { findGroupBySlug, groupTerms, partyGroups } from './group.queries.ts';

export async function groupRoutes(app: FastifyInstance): Promise<void> {
  const publicUrl = () => app.ctx.config.publicUrl;

  app.get('/groups', async (_request, reply) => {
    const groups = await partyGroups(app.ctx.db, app.today());
    return reply.render('groups/views/list.njk', { site: await app.site(), section: 'members', title: 'Party groups', groups });
  });

  app.get('/api/v1/groups', async (request) => {
    const { page } = parseQuery(pageQuery, request.query);
    const groups = await partyGroups(app.ctx.db, app.today());
    return pageOf(
      groups.map((g) => ({
        slug: g.slug,
        name: g.name,
        shortName: g.short_name,
        foundedOn: g.founded_on,
        dissolvedOn: g.dissolved_on,
        currentMembers: g.currentMembers,
        url: `${publicUrl()}/groups/${g.slug}`,
        apiUrl: `${publicUrl()}/api/v1/groups/${g.slug}`,
      })),
      page,
      (p) => `${publicUrl()}/api/v1/groups?page=${p}`,
    );
  });

  async function loadGroup(params: unknown) {
    const parsed = slugParam.safeParse(params);
    const group = parsed.success ? await findGroupBySlug(app.ctx.db, parsed.data.slug) : undefined;
    if (!group) return null;
    const today = app.today();
    const [terms, profile] = await Promise.all([groupTerms(app.ctx.db, group.id), recordProfile(app.ctx.db, { kind: 'group', organisationId: group.id }, today)]);
    const current = terms.filter((t) => t.role === 'member' && t.startDate <= today && (t.endDate === null || t.endDate >= today));
    return { group, terms, current, profile };
  }

  app.get('/groups/:slug', async (request, reply) => {
    const loaded = await loadGroup(request.params);
    if (!loaded) return renderMissing(app, reply, 'There is no party group with that name in the record.', String((request.params as { slug?: string }).slug ?? '').slice(0, 100));
    return reply.render('groups/views/group.njk', {
      site: await app.site(),
      section: 'members',
      title: loaded.group.name,
      ...loaded,
      feedUrl: `/feeds/groups/${loaded.group.slug}.atom`,
    });
  });

  app.get('/api/v1/groups/:slug', async (request) => {
    const loaded = await loadGroup(request.params);
    if (!loaded) throw new AppError('not_found', 'There is no party group with that name in the record.');
    const { group, terms, profile } = loaded;
    return {
      slug: group.slug,
      name: group.name,
      shortName: group.short_name,
      foundedOn: group.founded_on,
      dissolvedOn: group.dissolved_on,
      url: `${publicUrl()}/groups/${group.slug}`,
      memberships: terms.map((t) => ({
        member: { slug: t.slug, name: t.name, url: `${publicUrl()}/members/${t.slug}` },
        role: t.role,
        label: t.label,
        startDate: t.startDate,
        endDate: t.endDate,
        endReason: t.endReason,
      })),
      ...presentProfile(profile, publicUrl()),
      links: {
        questions: `${publicUrl()}/api/v1/questions?group=${group.slug}`,
        search: `${publicUrl()}/search?group=${group.slug}`,
        feed: `${publicUrl()}/feeds/groups/${group.slug}.atom`,
      },
    };
  });
}
