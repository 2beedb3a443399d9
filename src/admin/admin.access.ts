// Who may use the admin pages and API (admins only), and how an admin is named in the audit trail.
import type { FastifyRequest } from 'fastify';
import { actorLabel } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/auth.plugin.ts';
import type { AccountActor } from '../users/user.repository.ts';

export const adminOnly = { preHandler: requireRole('admin') };

/** Who the audit trail names for a change made in the browser or through the API. */
export function accountActor(request: FastifyRequest): AccountActor {
  const actor = actorOf(request);
  return { id: actor.userId, label: actorLabel(actor) };
}
