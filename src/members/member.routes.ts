// Member pages: everyone who sat in the assembly, and one member's terms, groups, questions and promptness.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { renderMissing } from '../questions/question.routes.ts';
import { pageOf, pageQuery, slugParam } from '../questions/json-pages.ts';
import { presentProfile, recordProfile } from '../questions/record-profile.queries.ts';
import { parseQuery } from '../web/validation.ts';
import { allAssemblyMembers, assemblyMembersOn, findPersonBySlug, membershipsOf, type MembershipRow } from './member.queries.ts';
import { presentMembership } from './member.presenter.ts';
import { releasesByMember } from '../press-releases/press-release.queries.ts';

export async function memberRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();
  const publicUrl = () => app.ctx.config.publicUrl;

  async function memberList() {
    const current = await assemblyMembersOn(app.ctx.db, today());
    const everyone = await allAssemblyMembers(app.ctx.db);
    const currentSlugs = new Set(current.map((m) => m.slug));
    // Latest term last in the map, so each former member shows when they last sat.
    const latestTerm = new Map<string, (typeof everyone)[number]>();
    for (const m of [...everyone].sort((a, b) => a.startDate.localeCompare(b.startDate))) latestTerm.set(m.slug, m);
    const former = [...latestTerm.values()].filter((m) => !currentSlugs.has(m.slug)).sort((a, b) => (a.family_name ?? a.name).localeCompare(b.family_name ?? b.name) || a.name.localeCompare(b.name));
    return { current, former };
  }

  app.get('/members', async (_request, reply) => {
    const { current, former } = await memberList();
    return reply.render('members/views/list.njk', { site: await app.site(), section: 'members', title: 'Members', current, former });
  });

  app.get('/api/v1/members', async (request) => {
    const { page } = parseQuery(pageQuery, request.query);
    const { current, former } = await memberList();
    const all = [
      ...current.map((m) => ({ slug: m.slug, name: m.name, current: true, partyGroup: m.groupSlug && m.groupName ? { slug: m.groupSlug, name: m.groupName } : null })),
      ...former.map((m) => ({ slug: m.slug, name: m.name, current: false, partyGroup: null })),
    ];
    return pageOf(
      all.map((m) => ({ slug: m.slug, name: m.name, url: `${publicUrl()}/members/${m.slug}`, apiUrl: `${publicUrl()}/api/v1/members/${m.slug}`, current: m.current, partyGroup: m.partyGroup })),
      page,
      (p) => `${publicUrl()}/api/v1/members?page=${p}`,
    );
  });

  async function loadMember(params: unknown) {
    const parsed = slugParam.safeParse(params);
    const person = parsed.success ? await findPersonBySlug(app.ctx.db, parsed.data.slug) : undefined;
    if (!person) return null;
    const [memberships, profile] = await Promise.all([membershipsOf(app.ctx.db, [person.id]), recordProfile(app.ctx.db, { kind: 'member', personId: person.id }, today())]);
    return { person, memberships, profile };
  }

  app.get('/members/:slug', async (request, reply) => {
    const member = await loadMember(request.params);
    if (!member) return renderMissing(app, reply, 'There is no member with that name in the record.', String((request.params as { slug?: string }).slug ?? '').slice(0, 100));
    const { person, memberships, profile } = member;
    return reply.render('members/views/member.njk', {
      site: await app.site(),
      section: 'members',
      title: person.name,
      person,
      terms: memberships.map(describeTerm),
      profile,
      feedUrl: `/feeds/members/${person.slug}.atom`,
      memberReleases: await releasesByMember(app.ctx.db, person.id, app.now()),
    });
  });

  app.get('/api/v1/members/:slug', async (request) => {
    const member = await loadMember(request.params);
    if (!member) throw new AppError('not_found', 'There is no member with that name in the record.');
    const { person, memberships, profile } = member;
    return {
      slug: person.slug,
      name: person.name,
      url: `${publicUrl()}/members/${person.slug}`,
      memberships: memberships.map(presentMembership),
      ...presentProfile(profile, publicUrl()),
      links: {
        questions: `${publicUrl()}/api/v1/questions?member=${person.slug}`,
        search: `${publicUrl()}/search?member=${person.slug}`,
        feed: `${publicUrl()}/feeds/members/${person.slug}.atom`,
      },
    };
  });
}

const endReasons: Record<string, string> = {
  term_ended: 'term ended',
  resigned: 'resigned',
  changed_group: 'changed group',
  retired: 'retired',
  died: 'died in office',
  removed: 'removed',
  lost_election: 'not re-elected',
};

function describeTerm(m: MembershipRow) {
  const what =
    m.label ??
    (m.role === 'leader' ? `Leader, ${m.organisationName}` : m.classification === 'party_group' ? `Member, ${m.organisationName}` : `${m.role}, ${m.organisationName}`);
  const href = m.classification === 'party_group' ? `/groups/${m.organisationSlug}` : m.classification === 'executive' || m.classification === 'functional_body' ? `/bodies/${m.organisationSlug}` : null;
  return { ...m, what, href, endReasonText: m.endReason ? endReasons[m.endReason] : null };
}
