// Atom feeds of the public record: new answers, any search, and each member, party group, topic and answering body.
// The addresses are stable (other pages link them): /feeds/answers.atom, /feeds/search.atom?<search>, /feeds/<kind>/<slug>.atom.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { strongEtag } from '../api/api-http.ts';
import { AppError } from '../errors/app-error.ts';
import { atomDocument, ATOM_CONTENT_TYPE } from './atom.ts';
import {
  answerAndQuestionEntries,
  answerEntries,
  answeredByBody,
  askedBy,
  askedFromGroup,
  findOrganisation,
  findPerson,
  findTopic,
  onTopic,
  type FeedEntry,
} from './feed.queries.ts';
import { searchFeed } from './search-feed.ts';
import { sitemapRoutes } from './sitemap.ts';

/** A slug as the record writes them; anything else cannot name a page, so it is a 404 without a query. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

export function feedPath(kind: 'members' | 'groups' | 'topics' | 'bodies', slug: string): string {
  return `/feeds/${kind}/${slug}.atom`;
}

interface Subject {
  title: string;
  pagePath: string;
  entries: () => Promise<FeedEntry[]>;
}

export async function feedRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;

  async function sendFeed(request: FastifyRequest, reply: FastifyReply, subject: Subject) {
    const site = await app.site();
    const entries = await subject.entries();
    const body = atomDocument(entries, {
      publicUrl: app.ctx.config.publicUrl,
      siteName: site.name,
      title: subject.title,
      selfPath: request.url,
      pagePath: subject.pagePath,
      now: app.now(),
    });
    // Readers poll: a conditional GET with the last ETag costs them (and us) no body when nothing is new.
    const etag = strongEtag(body);
    reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'public, max-age=300').header('etag', etag);
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
    return reply.send(body);
  }

  /** The slug from ":file" = "<slug>.atom"; a missing suffix or a malformed slug is a 404. */
  function slugOf(file: string, what: string): string {
    const match = /^(.+)\.atom$/.exec(file);
    const slug = match?.[1];
    if (!slug || !SLUG.test(slug)) throw new AppError('not_found', `There is no feed for that ${what}.`);
    return slug;
  }

  app.get('/feeds/answers.atom', async (request, reply) =>
    sendFeed(request, reply, { title: 'New answers', pagePath: '/', entries: () => answerEntries(db, null) }),
  );

  app.get('/feeds/search.atom', async (request, reply) => {
    const search = await searchFeed(app, request.query);
    return sendFeed(request, reply, search);
  });

  app.get<{ Params: { file: string } }>('/feeds/members/:file', async (request, reply) => {
    const person = await findPerson(db, slugOf(request.params.file, 'member'));
    if (!person) throw new AppError('not_found', 'There is no member with that name in the record, so there is no feed for them.');
    return sendFeed(request, reply, {
      title: `Questions asked by ${person.name}`,
      pagePath: `/members/${person.slug}`,
      entries: () => answerAndQuestionEntries(db, askedBy(person.id)),
    });
  });

  app.get<{ Params: { file: string } }>('/feeds/groups/:file', async (request, reply) => {
    const group = await findOrganisation(db, slugOf(request.params.file, 'party group'), ['party_group']);
    if (!group) throw new AppError('not_found', 'There is no party group with that name, so there is no feed for it.');
    return sendFeed(request, reply, {
      title: `Answers to questions from ${group.name}`,
      pagePath: `/groups/${group.slug}`,
      entries: () => answerEntries(db, askedFromGroup(group.id)),
    });
  });

  app.get<{ Params: { file: string } }>('/feeds/topics/:file', async (request, reply) => {
    const topic = await findTopic(db, slugOf(request.params.file, 'topic'));
    if (!topic) throw new AppError('not_found', 'There is no topic with that name, so there is no feed for it.');
    return sendFeed(request, reply, {
      title: `Answers on ${topic.name}`,
      pagePath: `/topics/${topic.slug}`,
      entries: () => answerEntries(db, onTopic(topic.id)),
    });
  });

  app.get<{ Params: { file: string } }>('/feeds/bodies/:file', async (request, reply) => {
    const body = await findOrganisation(db, slugOf(request.params.file, 'answering body'), ['executive', 'functional_body', 'other']);
    if (!body) throw new AppError('not_found', 'There is no answering body with that name, so there is no feed for it.');
    return sendFeed(request, reply, {
      title: `Answers from ${body.name}`,
      pagePath: `/bodies/${body.slug}`,
      entries: () => answerEntries(db, answeredByBody(body.id)),
    });
  });

  await sitemapRoutes(app);
}
