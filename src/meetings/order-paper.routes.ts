// (being written)
import type { FastifyInstance } from 'fastify';

export async function orderPaperRoutes(_app: FastifyInstance): Promise<void> {}
