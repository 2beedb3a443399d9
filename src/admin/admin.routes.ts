// The admin pages: accounts (list, add, change role and tie, disable and enable, reset two-factor) and the audit
// trail of any record. Every change runs as one command in one transaction with its audit event.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditTrail } from '../audit/audit.ts';
import { actorOf } from '../auth/auth.plugin.ts';
import { accountActor, adminOnly } from './admin.access.ts';
import type { Db } from '../db/database.ts';
import type { AuditRecordType, UserRole } from '../db/schema.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { idParam, runCommand } from '../web/commands.ts';
import { errorsFrom, formErrors, type FormErrors } from '../web/forms.ts';
import { createUser, disableUser, enableUser, resetTwoFactor, setUserRole, updateUser} from '../users/user.repository.ts';
import { adminApiRoutes } from './admin-api.routes.ts';
import { DETAIL_FIELDS, formFields, NEW_ACCOUNT_FIELDS, parseAuditQuery, parseRoleFilter, ROLE_FIELDS } from './admin.input.ts';
import {
  AUDIT_RECORD_TYPE_LABELS,
  auditRowsForPage,
  auditTypeItems,
  choiceItems,
  presentAccount,
  ROLE_LABELS,
  roleRadioItems,
  tieLabel,
} from './admin.presenter.ts';
import { findAccount, listAccounts, tieChoices } from './admin.queries.ts';

/** A refusal as form errors, or null for anything that is not a refusal. One without fields points at `anchor`. */
function refusal(error: unknown, anchor: string): FormErrors | null {
  const errors = errorsFrom(error);
  if (!errors || !isAppError(error)) return null;
  return error.fields && Object.keys(error.fields).length > 0 ? errors : formErrors({ [anchor]: error.message });
}

async function tieFieldItems(db: Db, values: { person?: unknown; actingFor?: unknown; body?: unknown }) {
  const ties = await tieChoices(db);
  return {
    personItems: choiceItems(ties.members, values.person, 'None'),
    actingForItems: choiceItems(ties.members, values.actingFor, 'None'),
    bodyItems: choiceItems(ties.bodies, values.body, 'None'),
  };
}

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const page = async (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    reply.status(status).render(template, { site: await app.site(), section: 'work', errorTitle: Boolean(context.errors), ...context });

  app.get('/admin/users', adminOnly, async (request, reply) => {
    let filter: { role: UserRole | undefined } = { role: undefined };
    let errors: FormErrors | null = null;
    try {
      filter = parseRoleFilter(request.query);
    } catch (error) {
      errors = refusal(error, 'role');
      if (!errors) throw error;
    }
    const rows = await listAccounts(db, filter);
    return page(
      reply,
      'admin/views/users.njk',
      {
        title: 'Accounts',
        errors,
        role: filter.role,
        roleName: filter.role ? ROLE_LABELS[filter.role].name : null,
        roleItems: [{ value: '', text: 'All roles', selected: !filter.role }, ...roleRadioItems(filter.role).map((r) => ({ value: r.value, text: r.text, selected: r.checked }))],
        accounts: rows.map((row) => ({ ...presentAccount(row), roleName: ROLE_LABELS[row.role].name, tie: tieLabel(presentAccount(row).tiedTo), lastSignInAt: row.last_sign_in_at })),
      },
      errors ? 400 : 200,
    );
  });

  const newAccountPage = async (reply: FastifyReply, values: Record<string, unknown>, errors: FormErrors | null = null, status = 200) =>
    page(
      reply,
      'admin/views/user-new.njk',
      { title: 'Add an account', errors, values, roleItems: roleRadioItems(values.role), ...(await tieFieldItems(db, values)) },
      status,
    );

  app.get('/admin/users/new', adminOnly, async (_request, reply) => newAccountPage(reply, {}));

  app.post('/admin/users/new', adminOnly, async (request, reply) => {
    const form = formFields(request.body, NEW_ACCOUNT_FIELDS);
    let created: { id: number; email: string };
    try {
      created = await runCommand(app, (trx) =>
        createUser(trx, { ...form, email: form.email ?? '', displayName: form.displayName ?? '', role: (form.role ?? '') as 'admin', password: form.password ?? '' }, accountActor(request)),
      );
    } catch (error) {
      const errors = refusal(error, 'displayName');
      if (!errors || !isAppError(error)) throw error;
      return newAccountPage(reply, { ...form, password: '' }, errors, error.status);
    }
    request.session.set('flash', `Account created for ${created.email}. Give them their password securely; staff roles set up two-factor authentication at their first sign-in.`);
    return reply.redirect(`/admin/users/${created.id}`, 303);
  });

  const accountPage = async (request: FastifyRequest, reply: FastifyReply, id: number, extra: { errors?: FormErrors | null; values?: Record<string, unknown> } = {}, status = 200) => {
    const row = await findAccount(db, id);
    if (!row) throw new AppError('not_found', 'The account was not found.');
    const account = presentAccount(row);
    const roleValues = {
      role: account.role,
      person: row.role === 'member' ? row.person_slug : undefined,
      actingFor: row.role === 'staff' ? row.acting_for_slug : undefined,
      body: row.role === 'officer' ? row.body_slug : undefined,
      displayName: account.name,
      email: account.email,
      ...extra.values,
    };
    return page(
      reply,
      'admin/views/user.njk',
      {
        title: `${account.name}: account`,
        errors: extra.errors ?? null,
        account: { ...account, roleName: ROLE_LABELS[account.role].name, tie: tieLabel(account.tiedTo), lastSignInAt: row.last_sign_in_at, createdAt: row.created_at, disabledAt: row.disabled_at },
        isSelf: actorOf(request).userId === account.id,
        values: roleValues,
        roleItems: roleRadioItems(roleValues.role),
        ...(await tieFieldItems(db, roleValues)),
        events: auditRowsForPage(await auditTrail(db, 'user', id)),
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/users/:id', adminOnly, async (request, reply) => accountPage(request, reply, idParam(request.params.id, 'The account')));

  /** One change from the account page: run it, then back to the page with a flash, or the page again with the refusal. */
  const accountAction = (
    path: string,
    anchor: string,
    change: (request: FastifyRequest, id: number) => Promise<string>,
    fields: readonly string[] = [],
  ) =>
    app.post<{ Params: { id: string } }>(`/admin/users/:id/${path}`, adminOnly, async (request, reply) => {
      const id = idParam(request.params.id, 'The account');
      let message: string;
      try {
        message = await change(request, id);
      } catch (error) {
        const errors = refusal(error, anchor);
        if (!errors || !isAppError(error)) throw error;
        return accountPage(request, reply, id, { errors, values: formFields(request.body, fields) }, error.status);
      }
      request.session.set('flash', message);
      return reply.redirect(`/admin/users/${id}`, 303);
    });

  accountAction(
    'role',
    'role',
    async (request, userId) => {
      const form = formFields(request.body, ROLE_FIELDS);
      const result = await runCommand(app, (trx, options) => setUserRole(trx, { ...form, userId, role: (form.role ?? '') as 'admin' }, accountActor(request), { now: options.now }));
      if (result.roleChanged) return `The role is now ${ROLE_LABELS[result.role].name}. The account’s sessions and API tokens have ended, so its next sign-in meets the new role’s rules.`;
      return result.changed ? 'The account’s tie was changed.' : 'Nothing changed: the account already had that role and tie.';
    },
    ROLE_FIELDS,
  );

  accountAction(
    'details',
    'displayName',
    async (request, userId) => {
      const form = formFields(request.body, DETAIL_FIELDS);
      const result = await runCommand(app, (trx, options) => updateUser(trx, { userId, email: form.email ?? '', displayName: form.displayName ?? '' }, accountActor(request), { now: options.now }));
      return result.changed ? 'The name and email were saved.' : 'Nothing changed.';
    },
    DETAIL_FIELDS,
  );

  accountAction('disable', 'disable', async (request, userId) => {
    await runCommand(app, (trx, options) => disableUser(trx, { userId }, accountActor(request), { now: options.now }));
    return 'The account is disabled: it cannot sign in, and its sessions and API tokens have ended.';
  });

  accountAction('enable', 'enable', async (request, userId) => {
    await runCommand(app, (trx, options) => enableUser(trx, { userId }, accountActor(request), { now: options.now }));
    return 'The account is enabled again. Its old sessions and API tokens stay ended.';
  });

  accountAction('reset-two-factor', 'reset-two-factor', async (request, userId) => {
    await runCommand(app, (trx, options) => resetTwoFactor(trx, { userId }, accountActor(request), { now: options.now }));
    return 'Two-factor authentication was reset: the account sets it up again at its next sign-in. Its sessions have ended.';
  });

  app.get('/admin/audit', adminOnly, async (request, reply) => {
    const raw = (request.query ?? {}) as Record<string, unknown>;
    const values = { type: raw.type, id: raw.id };
    let record: { type: AuditRecordType; id: number } | undefined;
    try {
      record = parseAuditQuery(request.query);
    } catch (error) {
      const errors = refusal(error, 'type');
      if (!errors) throw error;
      return page(reply, 'admin/views/audit.njk', { title: 'Audit trail', errors, values, typeItems: auditTypeItems(values.type) }, 400);
    }
    return page(reply, 'admin/views/audit.njk', {
      title: record ? `Audit trail: ${AUDIT_RECORD_TYPE_LABELS[record.type]} ${record.id}` : 'Audit trail',
      values,
      typeItems: auditTypeItems(values.type),
      record: record ? { ...record, label: AUDIT_RECORD_TYPE_LABELS[record.type] } : null,
      events: record ? auditRowsForPage(await auditTrail(db, record.type, record.id)) : [],
    });
  });

  await app.register(adminApiRoutes);
}
