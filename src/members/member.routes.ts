// Member pages: everyone who sat in the assembly, and one member's terms, groups and questions.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { latenessRules, publicQuestions, selectSummary, toSummary } from '../questions/question.queries.ts';
import { presentQuestionSummary } from '../questions/question.presenter.ts';
import { allAssemblyMembers, assemblyMembersOn, findPersonBySlug, membershipsOf, type MembershipRow } from './member.queries.ts';
import { presentMembership } from './member.presenter.ts';

export async function memberRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();

  app.get('/members', async (_request, reply) => {
    const current = await assemblyMembersOn(app.ctx.db, today());
    const everyone = await allAssemblyMembers(app.ctx.db);
    const currentSlugs = new Set(current.map((m) => m.slug));
    const former = [...new Map(everyone.filter((m) => !currentSlugs.has(m.slug)).map((m) => [m.slug, m])).values()];
    return reply.render('members/views/list.njk', { site: await app.site(), section: 'members', title: 'Members', current, former });
  });

  async function loadMember(slug: string) {
    const person = await findPersonBySlug(app.ctx.db, slug);
    if (!person) throw new AppError('not_found', 'There is no member with that name in the record.');
    const memberships = await membershipsOf(app.ctx.db, [person.id]);
    const rules = await latenessRules(app.ctx.db);
    const rows = await selectSummary(publicQuestions(app.ctx.db).where('questions.asker_id', '=', person.id))
      .orderBy('questions.reference_year', 'desc')
      .orderBy('questions.reference_number', 'desc')
      .execute();
    const day = today();
    const questions = rows.map((r) => toSummary(r, day, rules));
    return { person, memberships, questions };
  }

  app.get<{ Params: { slug: string } }>('/members/:slug', async (request, reply) => {
    const { person, memberships, questions } = await loadMember(request.params.slug);
    const byYear = new Map<number, number>();
    for (const q of questions) byYear.set(q.year, (byYear.get(q.year) ?? 0) + 1);
    const answered = questions.filter((q) => q.status.status === 'answered');
    const onTime = answered.filter((q) => q.status.lateness === 'on_time').length;
    return reply.render('members/views/member.njk', {
      site: await app.site(),
      section: 'members',
      title: person.name,
      person,
      terms: memberships.map(describeTerm),
      questions,
      byYear: [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count })),
      promptness: { answered: answered.length, onTime },
    });
  });

  app.get<{ Params: { slug: string } }>('/api/v1/members/:slug', async (request) => {
    const { person, memberships, questions } = await loadMember(request.params.slug);
    return {
      slug: person.slug,
      name: person.name,
      memberships: memberships.map(presentMembership),
      questions: questions.map((q) => presentQuestionSummary(q, app.ctx.config.publicUrl)),
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
  return { ...m, what, endReasonText: m.endReason ? endReasons[m.endReason] : null };
}
