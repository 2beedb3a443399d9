// (being written)
import type { FastifyInstance } from 'fastify';

export async function executiveWorkRoutes(_app: FastifyInstance): Promise<void> {}
