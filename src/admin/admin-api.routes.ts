// The admin API: accounts and audit trails as JSON, for scripts an admin runs with their own API token.
import type { FastifyInstance } from 'fastify';
import { auditTrail } from '../audit/audit.ts';
import { AppError } from '../errors/app-error.ts';
import { idParam, jsonBody, runCommand } from '../web/commands.ts';
import { createUser, disableUser, enableUser, resetTwoFactor, setUserRole, type NewUserInput, type SetRoleInput } from '../users/user.repository.ts';
import { accountActor, adminOnly } from './admin.access.ts';
import { parseAuditQuery, parseRoleFilter } from './admin.input.ts';
import { presentAccount, presentAuditEvent } from './admin.presenter.ts';
import { findAccount, listAccounts } from './admin.queries.ts';

export async function adminApiRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;

  const presentById = async (id: number) => {
    const row = await findAccount(db, id);
    if (!row) throw new AppError('not_found', 'The account was not found.');
    return presentAccount(row);
  };

  app.get('/api/v1/admin/users', adminOnly, async (request) => {
    const rows = await listAccounts(db, parseRoleFilter(request.query));
    return { users: rows.map(presentAccount) };
  });

  app.post('/api/v1/admin/users', adminOnly, async (request, reply) => {
    const created = await runCommand(app, (trx) => createUser(trx, jsonBody(request) as unknown as NewUserInput, accountActor(request)));
    return reply.status(201).send(await presentById(created.id));
  });

  app.get<{ Params: { id: string } }>('/api/v1/admin/users/:id', adminOnly, async (request) => presentById(idParam(request.params.id, 'The account')));

  app.post<{ Params: { id: string } }>('/api/v1/admin/users/:id/role', adminOnly, async (request) => {
    const userId = idParam(request.params.id, 'The account');
    await runCommand(app, (trx, options) => setUserRole(trx, { ...(jsonBody(request) as Omit<SetRoleInput, 'userId'>), userId }, accountActor(request), { now: options.now }));
    return presentById(userId);
  });

  const commands = { disable: disableUser, enable: enableUser, 'reset-two-factor': resetTwoFactor } as const;
  for (const [path, command] of Object.entries(commands)) {
    app.post<{ Params: { id: string } }>(`/api/v1/admin/users/:id/${path}`, adminOnly, async (request) => {
      const userId = idParam(request.params.id, 'The account');
      await runCommand(app, (trx, options) => command(trx, { userId }, accountActor(request), { now: options.now }));
      return presentById(userId);
    });
  }

  app.get('/api/v1/admin/audit', adminOnly, async (request) => {
    const record = parseAuditQuery(request.query);
    if (!record) throw new AppError('validation_failed', 'Give the record as ?type=<kind>&id=<number>', { fields: { type: 'Choose the kind of record', id: 'Enter the record’s number' } });
    const events = await auditTrail(db, record.type, record.id);
    return { recordType: record.type, recordId: record.id, events: events.map(presentAuditEvent) };
  });
}
