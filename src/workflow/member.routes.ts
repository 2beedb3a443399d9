// (being written)
import type { FastifyInstance } from 'fastify';

export async function memberWorkRoutes(_app: FastifyInstance): Promise<void> {}
