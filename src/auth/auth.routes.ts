// Sign-in (password, then a second factor for staff), two-factor enrolment, sign-out, the account page and API tokens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/demo-accounts.ts';
import { AppError } from '../errors/app-error.ts';
import { errorsFrom, formErrors, parseForm, safeNext } from '../web/forms.ts';
import { homeFor, requiresTwoFactor } from './actor.ts';
import { actorOf, loadActor, requireRole } from './auth.plugin.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { attemptSignIn } from './sign-in.ts';
import { newTotpSecret, replaceRecoveryCodes, totpQrSvg, useRecoveryCode, verifyTotp } from './totp.ts';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Enter your email address'),
  password: z.string().min(1, 'Enter your password').max(1000, 'Enter your password'),
  next: z.string().optional(),
});
const codeForm = z.object({ code: z.string().trim().min(1, 'Enter the code').max(40, 'Enter the code') });
const tokenForm = z.object({ name: z.string().trim().min(1, 'Enter a name for the token').max(100, 'Name must be 100 characters or fewer') });

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const db = app.ctx.db;
  const page = async (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) =>
    reply.status(status).render(template, { site: await app.site(), section: 'account', ...context });

  // While the fictional demo is loaded, the sign-in page lists its accounts; a real assembly never sees this.
  const demoHint = async () => {
    if (!(await app.site()).isDemo) return {};
    const emails = DEMO_ACCOUNTS.map((a) => a.email);
    const live = await db.selectFrom('users').select('email').where('email', 'in', emails).where('disabled_at', 'is', null).execute();
    const present = new Set(live.map((u) => u.email));
    return { demoAccounts: DEMO_ACCOUNTS.filter((a) => present.has(a.email)), demoPassword: DEMO_PASSWORD };
  };

  app.get<{ Querystring: { next?: string } }>('/sign-in', async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next, homeFor(request.actor.role)), 303);
    return page(reply, 'auth/views/sign-in.njk', { title: 'Sign in', values: { next: safeNext(request.query.next, '') }, ...(await demoHint()) });
  });

  app.post('/sign-in', async (request, reply) => {
    let values: z.infer<typeof signInForm>;
    try {
      values = parseForm(signInForm, request.body);
    } catch (error) {
      return page(reply, 'auth/views/sign-in.njk', { title: 'Sign in', errors: errorsFrom(error), values: request.body }, 400);
    }
    const outcome = await attemptSignIn(db, { email: values.email, password: values.password, ip: request.ip, now: app.now() });
    if (!outcome.ok) {
      const message =
        outcome.reason === 'rate_limited'
          ? 'Too many attempts to sign in. Wait 15 minutes and try again.'
          : 'Enter a correct email address and password';
      return page(reply, 'auth/views/sign-in.njk', { title: 'Sign in', errors: formErrors({ email: message }), values: { email: values.email, next: values.next } }, outcome.reason === 'rate_limited' ? 429 : 400);
    }
    const actor = await loadActor(db, outcome.userId);
    if (!actor) throw new AppError('unauthorised', 'This account cannot sign in.');
    const next = safeNext(values.next, homeFor(actor.role));
    if (requiresTwoFactor(actor.role)) {
      request.session.regenerate({ pendingUserId: actor.userId });
      const user = await db.selectFrom('users').select('totp_enabled_at').where('id', '=', actor.userId).executeTakeFirstOrThrow();
      return reply.redirect(`${user.totp_enabled_at ? '/sign-in/two-factor' : '/account/two-factor/setup'}?next=${encodeURIComponent(next)}`, 303);
    }
    request.session.regenerate({ userId: actor.userId });
    return reply.redirect(next, 303);
  });

  const pendingUser = async (request: FastifyRequest) => {
    const id = request.session.get('pendingUserId');
    if (id === undefined) return undefined;
    return db.selectFrom('users').select(['id', 'email', 'role', 'totp_secret', 'totp_enabled_at']).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  };

  app.get<{ Querystring: { next?: string } }>('/sign-in/two-factor', async (request, reply) => {
    const user = await pendingUser(request);
    if (!user?.totp_enabled_at) return reply.redirect('/sign-in', 303);
    return page(reply, 'auth/views/two-factor.njk', { title: 'Enter your security code', values: { next: safeNext(request.query.next, '') } });
  });

  app.post<{ Querystring: { next?: string } }>('/sign-in/two-factor', async (request, reply) => {
    const user = await pendingUser(request);
    if (!user?.totp_enabled_at || !user.totp_secret) return reply.redirect('/sign-in', 303);
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next ?? request.query.next, homeFor(user.role));
    const parsed = codeForm.safeParse(request.body);
    const code = parsed.success ? parsed.data.code : '';
    const ok =
      verifyTotp(user.totp_secret, code, app.now()) ||
      (code.length > 6 && (await db.transaction().execute((trx) => useRecoveryCode(trx, user.id, code))));
    if (!ok) {
      await db.insertInto('sign_in_attempts').values({ email_lower: user.email.toLowerCase(), ip: request.ip, succeeded: false }).execute();
      return page(reply, 'auth/views/two-factor.njk', { title: 'Enter your security code', errors: formErrors({ code: 'Enter the 6-digit code from your authenticator app, or a recovery code' }), values: { next } }, 400);
    }
    request.session.regenerate({ userId: user.id });
    return reply.redirect(next, 303);
  });

  /** Enrolment: for a staff user mid-sign-in, or a signed-in user turning it on. */
  const enrollingUser = async (request: FastifyRequest) => {
    const pending = await pendingUser(request);
    if (pending) return pending;
    if (!request.actor) return undefined;
    return db.selectFrom('users').select(['id', 'email', 'role', 'totp_secret', 'totp_enabled_at']).where('id', '=', request.actor.userId).executeTakeFirst();
  };

  app.get<{ Querystring: { next?: string } }>('/account/two-factor/setup', async (request, reply) => {
    const user = await enrollingUser(request);
    if (!user) return reply.redirect('/sign-in', 303);
    let secret = user.totp_secret;
    // An enrolment under way keeps its secret, so reloading the page does not invalidate the app just set up.
    if (!secret || user.totp_enabled_at) {
      secret = newTotpSecret();
      await db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: null }).where('id', '=', user.id).execute();
    }
    return page(reply, 'auth/views/two-factor-setup.njk', {
      title: 'Set up two-factor authentication',
      qr: await totpQrSvg(secret, user.email),
      secret: secret.replace(/(.{4})/g, '$1 ').trim(),
      values: { next: safeNext(request.query.next, '') },
    });
  });

  app.post('/account/two-factor/setup', async (request, reply) => {
    const user = await enrollingUser(request);
    if (!user?.totp_secret) return reply.redirect('/sign-in', 303);
    const parsed = codeForm.safeParse(request.body);
    if (!parsed.success || !verifyTotp(user.totp_secret, parsed.data.code, app.now())) {
      return page(
        reply,
        'auth/views/two-factor-setup.njk',
        {
          title: 'Set up two-factor authentication',
          qr: await totpQrSvg(user.totp_secret, user.email),
          secret: user.totp_secret.replace(/(.{4})/g, '$1 ').trim(),
          errors: formErrors({ code: 'Enter the 6-digit code your authenticator app shows now' }),
          values: { next: safeNext((request.body as { next?: unknown }).next, '') },
        },
        400,
      );
    }
    const codes = await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_enabled_at: app.now() }).where('id', '=', user.id).execute();
      await trx.insertInto('audit_events').values({ actor_id: user.id, actor_label: user.email, action: 'user.two_factor_enabled', record_type: 'user', record_id: user.id, to_state: 'two_factor' }).execute();
      return replaceRecoveryCodes(trx, user.id);
    });
    request.session.regenerate({ userId: user.id });
    const next = safeNext((request.body as { next?: unknown }).next, homeFor(user.role));
    return page(reply, 'auth/views/recovery-codes.njk', { title: 'Save your recovery codes', codes, next });
  });

  app.post('/sign-out', async (request, reply) => {
    request.session.destroy();
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', async (_request, reply) => page(reply, 'auth/views/signed-out.njk', { title: 'You have signed out' }));

  app.get('/account', { preHandler: requireRole() }, async (request, reply) => {
    const actor = actorOf(request);
    const user = await db.selectFrom('users').select(['totp_enabled_at', 'created_at']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    return page(reply, 'auth/views/account.njk', { title: 'Your account', actor, twoFactor: user.totp_enabled_at !== null, home: homeFor(actor.role) });
  });

  const tokensPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(request);
    return page(reply, 'auth/views/tokens.njk', { title: 'API tokens', tokens: await listApiTokens(db, actor.userId), publicUrl: app.ctx.config.publicUrl, ...extra }, status);
  };

  app.get('/account/tokens', { preHandler: requireRole() }, async (request, reply) => tokensPage(request, reply));

  app.post('/account/tokens', { preHandler: requireRole() }, async (request, reply) => {
    const actor = actorOf(request);
    const parsed = tokenForm.safeParse(request.body);
    if (!parsed.success) return tokensPage(request, reply, { errors: formErrors({ name: parsed.error.issues[0]?.message ?? 'Enter a name' }) }, 400);
    const created = await db.transaction().execute((trx) => createApiToken(trx, actor, parsed.data.name));
    return tokensPage(request, reply, { created: { name: parsed.data.name, token: created.token } });
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', { preHandler: requireRole() }, async (request, reply) => {
    const actor = actorOf(request);
    const id = Number(request.params.id);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('not_found', 'There is no such token.');
    await db.transaction().execute((trx) => revokeApiToken(trx, actor, id));
    request.session.set('flash', 'The token was revoked. Anything using it can no longer connect.');
    return reply.redirect('/account/tokens', 303);
  });

  app.get('/api/v1/me', { preHandler: requireRole() }, async (request) => {
    const actor = actorOf(request);
    return { email: actor.email, name: actor.displayName, role: actor.role };
  });
}
