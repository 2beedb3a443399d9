// Whole-record downloads (being built).
import type { FastifyInstance } from 'fastify';

export async function downloadRoutes(_app: FastifyInstance): Promise<void> {}
