// About and accessibility statement pages (being built).
import type { FastifyInstance } from 'fastify';

export async function aboutRoutes(_app: FastifyInstance): Promise<void> {}
