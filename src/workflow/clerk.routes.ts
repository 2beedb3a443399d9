// (being written)
import type { FastifyInstance } from 'fastify';

export async function clerkWorkRoutes(_app: FastifyInstance): Promise<void> {}
