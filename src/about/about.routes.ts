// About and accessibility statement pages: what the record is, how deadlines and statuses work, and access.
import type { FastifyInstance } from 'fastify';
import { latenessRules } from '../questions/question.queries.ts';

export async function aboutRoutes(app: FastifyInstance): Promise<void> {
  app.get('/about', async (_request, reply) => {
    const [site, rules] = await Promise.all([app.site(), latenessRules(app.ctx.db)]);
    return reply.render('about/views/about.njk', { site, section: 'about', title: 'About this record', rules });
  });

  app.get('/accessibility', async (_request, reply) => {
    return reply.render('about/views/accessibility.njk', { site: await app.site(), section: 'about', title: 'Accessibility statement' });
  });
}
