// (being written)
import type { FastifyInstance } from 'fastify';

export async function meetingCalendarRoutes(_app: FastifyInstance): Promise<void> {}
