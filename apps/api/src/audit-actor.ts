// Who made a change, as the audit trail records it: the guard's principal plus
// where the request came from. Built in one place so that every route audits alike.
import type { Actor } from '@passerelle/audit';
import type { GuardContext } from '@passerelle/guard';

export function actorOf(ctx: GuardContext): Actor {
  const { principal, requestId } = ctx.state;
  return {
    type: principal.userId ? 'user' : 'client',
    id: principal.userId ?? principal.clientId,
    credential: principal.credential,
    requestId,
    ip: ctx.ip,
    method: ctx.method,
    path: ctx.path,
  };
}
