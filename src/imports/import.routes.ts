// Imports (admin page) and the CSV template (being built).
import type { FastifyInstance } from 'fastify';

export async function importRoutes(_app: FastifyInstance): Promise<void> {}
