// Press releases: every route of the folder, public, work and API, registered from this one function.
import type { FastifyInstance } from 'fastify';
import { apiWorkPressReleaseRoutes } from './api-work.routes.ts';
import { publicPressReleaseRoutes } from './public.routes.ts';
import { workPressReleaseRoutes } from './work.routes.ts';

export async function pressReleaseRoutes(app: FastifyInstance): Promise<void> {
  await publicPressReleaseRoutes(app);
  await workPressReleaseRoutes(app);
  await apiWorkPressReleaseRoutes(app);
}
