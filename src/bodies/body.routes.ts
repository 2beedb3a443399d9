// Answering body pages (being built).
import type { FastifyInstance } from 'fastify';

export async function answeringBodyRoutes(_app: FastifyInstance): Promise<void> {}
