// Topic pages (being built).
import type { FastifyInstance } from 'fastify';

export async function topicRoutes(_app: FastifyInstance): Promise<void> {}
