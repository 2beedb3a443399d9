// /healthz: whether the service can reach its database, which mode it runs in, and the schema version.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { latestVersion } from '../db/migrate.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    const expected = latestVersion();
    try {
      const row = await sql<{ version: number | null }>`SELECT max(version) AS version FROM schema_migrations`.execute(app.ctx.db);
      const version = row.rows[0]?.version ?? 0;
      const ok = version === expected;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'migrations_pending',
        database: { mode: app.ctx.mode, reachable: true },
        migrations: { version, latest: expected },
      });
    } catch {
      return reply.status(503).send({
        status: 'database_unreachable',
        database: { mode: app.ctx.mode, reachable: false },
        migrations: { version: null, latest: expected },
      });
    }
  });
}
