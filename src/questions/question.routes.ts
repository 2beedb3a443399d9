// Public question pages and their JSON twins: one question at /questions/YYYY/NNNN (the list lives in search/).
import { londonDate } from '../calendar/london-time.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { membershipsOf, partyGroupOn } from '../members/member.queries.ts';
import { presentQuestion, questionPath } from './question.presenter.ts';
import { answerVersionsOf, findPublicQuestion, latenessRules, oralExchangeOf, statusFromRow, topicsOf } from './question.queries.ts';
import { citedReferences, linkedParagraphs, segmentReferences } from './question-references.ts';
import { formatReference, REFERENCE_FIRST_YEAR, REFERENCE_LAST_YEAR } from './reference.ts';
import { relatedQuestions } from './related.queries.ts';
import { citedInAnswersTo, followedUpBy, followsUp, publicReferencesAmong } from './thread.queries.ts';
import { deadlineSummary, questionTimeline } from './timeline.ts';
import { releasesCitingQuestion } from '../press-releases/press-release.queries.ts';

const referenceParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  number: z.string().regex(/^\d{1,6}$/),
});

const RELATED_LIMIT = 4;

/** The 404 page for a missing reference: names it and offers a search for it. */
export async function renderMissing(app: FastifyInstance, reply: FastifyReply, message: string, searchQuery: string) {
  return reply.status(404).render('web/views/error.njk', {
    site: await app.site(),
    title: 'Page not found',
    heading: 'Page not found',
    message,
    status: 404,
    searchQuery,
  });
}

export async function questionRoutes(app: FastifyInstance): Promise<void> {
  const today = () => app.today();
  const db = () => app.ctx.db;

  /** The question, or a message saying what was not found. */
  async function loadQuestion(params: unknown) {
    const parsed = referenceParams.safeParse(params);
    const asked = `${(params as { year?: string }).year ?? ''}/${(params as { number?: string }).number ?? ''}`.slice(0, 20);
    if (!parsed.success) return { kind: 'missing', message: 'There is no question with that reference.', searchQuery: asked } as const;
    const year = Number(parsed.data.year);
    const number = Number(parsed.data.number);
    const valid = year >= REFERENCE_FIRST_YEAR && year <= REFERENCE_LAST_YEAR && number >= 1;
    const detail = valid ? await findPublicQuestion(db(), year, number) : undefined;
    const rules = detail ? await latenessRules(db()) : undefined;
    const status = detail && rules ? statusFromRow(detail, today(), rules) : null;
    if (!detail || !status) {
      const reference = valid ? formatReference(year, number) : asked;
      return { kind: 'missing', message: `There is no published question ${reference}.`, searchQuery: reference } as const;
    }
    const [versions, exchange, topics, memberships, laterQuestions, answerCitations, related] = await Promise.all([
      answerVersionsOf(db(), detail.id),
      oralExchangeOf(db(), detail.id),
      topicsOf(db(), detail.id),
      membershipsOf(db(), [detail.asker_id]),
      followedUpBy(db(), { id: detail.id, year, number }),
      citedInAnswersTo(db(), { id: detail.id, year, number }),
      relatedQuestions(db(), { id: detail.id, title: detail.title }, RELATED_LIMIT),
    ]);
    // Every reference cited anywhere on the page that is a public question becomes a link.
    const texts = [detail.title, detail.body, ...versions.map((v) => v.body), ...exchange.turns.map((t) => t.body)];
    const known = await publicReferencesAmong(db(), citedReferences(texts));
    const ownCitations = new Set(citedReferences([detail.title, detail.body]).map((r) => r.reference));
    const citedInText = new Map([...known].filter(([reference]) => ownCitations.has(reference)));
    const earlier = await followsUp(db(), { id: detail.id, year, number, followUpOfId: detail.follow_up_of_id }, citedInText);
    const group = partyGroupOn(memberships, detail.asker_id, detail.asked_on ?? detail.meets_on ?? (detail.tabled_at ? londonDate(detail.tabled_at) : today()));
    const askerGroup = group ? { slug: group.organisationSlug, name: group.organisationName } : undefined;
    const timeline = questionTimeline({
      type: detail.question_type,
      tabledAt: detail.tabled_at,
      decidedAt: detail.decided_at,
      askedOn: detail.asked_on,
      notReached: detail.not_reached,
      withdrawnAt: detail.withdrawn_at,
      versions,
    });
    const question = presentQuestion(
      detail,
      {
        status,
        versions,
        exchange,
        topics,
        askerGroup,
        thread: { followsUp: earlier, followedUpBy: laterQuestions, citedInAnswersTo: answerCitations },
        related,
        timeline,
        deadline: deadlineSummary(detail.due_on, status),
      },
      app.ctx.config.publicUrl,
    );
    return { kind: 'found', questionId: detail.id, year, number, question, linkable: new Set(known.keys()) } as const;
  }

  app.get('/questions/:year/:number', async (request, reply) => {
    const loaded = await loadQuestion(request.params);
    if (loaded.kind === 'missing') return renderMissing(app, reply, loaded.message, loaded.searchQuery);
    const { questionId, year, number, question, linkable } = loaded;
    const canonical = questionPath(year, number);
    if (request.url.split('?')[0] !== canonical) return reply.redirect(canonical, 301);
    const writtenAnswers = question.answers
      .filter((a) => a.delivery === 'written')
      .reverse()
      .map((a) => ({ ...a, paragraphs: linkedParagraphs(a.text, linkable) }));
    // The page's timeline also marks the statutory deadline, in date order (the JSON keeps it in `deadline`).
    const deadlineEntry = question.dueOn ? [{ event: 'deadline', on: question.dueOn, label: 'Statutory deadline for the answer', version: null }] : [];
    const timeline = [...question.timeline, ...deadlineEntry]
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.on.localeCompare(b.e.on) || a.i - b.i)
      .map(({ e }) => ({ ...e, anchor: e.version !== null && writtenAnswers.some((a) => a.version === e.version) ? `version-${e.version}` : null }));
    return reply.render('questions/views/question.njk', {
      timeline,
      site: await app.site(),
      section: 'questions',
      title: `${question.reference}: ${question.title}`,
      question,
      textParagraphs: linkedParagraphs(question.text, linkable),
      transcript: question.transcript.map((t) => ({ ...t, segments: segmentReferences(t.text, linkable) })),
      supplementaries: question.supplementaries.map((s) => ({ ...s, transcript: s.transcript.map((t) => ({ ...t, segments: segmentReferences(t.text, linkable) })) })),
      writtenAnswers,
      citedInReleases: await releasesCitingQuestion(db(), questionId, app.now()),
    });
  });

  app.get('/api/v1/questions/:year/:number', async (request) => {
    const loaded = await loadQuestion(request.params);
    if (loaded.kind === 'missing') throw new AppError('not_found', loaded.message);
    return loaded.question;
  });
}
