// Press releases (being built).
import type { FastifyInstance } from 'fastify';

export async function pressReleaseRoutes(_app: FastifyInstance): Promise<void> {}
