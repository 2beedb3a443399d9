// The open API's document, docs page, CORS and caching (being built).
import type { FastifyInstance } from 'fastify';

export async function openApiRoutes(_app: FastifyInstance): Promise<void> {}
