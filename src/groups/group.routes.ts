// Party group pages (being built).
import type { FastifyInstance } from 'fastify';

export async function groupRoutes(_app: FastifyInstance): Promise<void> {}
