// (being written)
import type { FastifyInstance } from 'fastify';

export async function meetingRecordRoutes(_app: FastifyInstance): Promise<void> {}
