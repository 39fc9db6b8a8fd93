// Every refused authentication becomes a security event (issue 3, "refused
// authentication attempts are recorded as security events"): a row through
// @passerelle/audit's recordSecurityEvent and a warn log line, with the reason,
// the credential type, the client when known, the IP and the request id, and
// never the credential itself. Called from the one error renderer.
// Its cost is bounded under attack: the per-IP and per-key lockouts cap the
// rows one address can cause; requests refused while locked out write no row,
// only a log line now and then with a count; and at most MAX_PENDING writes
// are in flight, beyond which events are counted and logged, not written.
import type { Context } from 'koa';
import { recordSecurityEvent, type Actor } from '@passerelle/audit';
import type { PrismaClient } from '@passerelle/db';
import type { Problem } from '@passerelle/errors';
import type { GuardState } from '@passerelle/guard';
import type { Logger } from '@passerelle/log';

const MAX_PENDING = 64;
const MAX_TRACKED = 10_000;

function isPowerOfTen(n: number): boolean {
  return /^10*$/.test(String(n));
}

export function securityEventRecorder(prisma: PrismaClient, log: Logger) {
  let pending = 0;
  let dropped = 0;
  const refusedWhileLocked = new Map<string, number>();

  function write(actor: Actor, action: string, partnerId: string | undefined, diff: Record<string, unknown>): void {
    if (pending >= MAX_PENDING) {
      dropped += 1;
      if (isPowerOfTen(dropped)) log.warn({ event: 'security_event.dropped', dropped }, 'security events dropped: too many writes in flight');
      return;
    }
    pending += 1;
    recordSecurityEvent(prisma, actor, { action, targetType: 'client', ...(actor.type === 'client' ? { targetId: actor.id } : {}), partnerId, diff })
      .catch((err: unknown) => log.error({ err, event: 'security_event.write_failed' }, 'security event could not be written'))
      .finally(() => { pending -= 1; });
  }

  /** Records `problem` if it refused an authentication; other errors are not security events. */
  return function recordRefusal(ctx: Context, problem: Problem): void {
    const { attempt, principal, requestId } = ctx.state as Partial<GuardState>;
    if (!attempt) return; // refused before the guard (not an authentication)
    const lockedOut = problem.status === 429 ? attempt.lockedOut : undefined;
    // A good token from outside its client's IP allowlist is likely a leaked one.
    if (problem.status !== 401 && !lockedOut && problem.code !== 'ip_not_allowed') return;

    const clientId = principal?.clientId ?? attempt.clientId;
    const reason = lockedOut ? `locked_out:${lockedOut}` : problem.code;
    const fields = { event: 'auth.refused', reason, credential: attempt.credential, clientId, ip: ctx.ip, requestId };
    if (lockedOut) {
      // A flood against a lock: count it, log it now and then, write nothing.
      const key = `${lockedOut}:${ctx.ip}:${clientId ?? ''}`;
      if (refusedWhileLocked.size >= MAX_TRACKED) refusedWhileLocked.clear();
      const count = (refusedWhileLocked.get(key) ?? 0) + 1;
      refusedWhileLocked.set(key, count);
      if (isPowerOfTen(count)) log.warn({ ...fields, refusedWhileLocked: count }, 'refused while locked out');
      return;
    }

    // No credentials at all is not an attempt: the per-IP limit counts it, and
    // only the lockout it may start is an event.
    const presented = attempt.credential !== 'none';
    if (presented) log.warn({ ...fields, detail: problem.detail, startedLockout: attempt.startedLockout }, 'authentication refused');
    const actor: Actor = {
      ...(clientId ? { type: 'client', id: clientId } : { type: 'anonymous', id: ctx.ip }),
      credential: attempt.credential, requestId, ip: ctx.ip, method: ctx.method, path: ctx.path,
    };
    const partnerId = principal?.partnerId ?? attempt.partnerId;
    if (presented) write(actor, 'auth.refused', partnerId, { reason, ...(problem.detail ? { detail: problem.detail } : {}) });
    for (const lock of attempt.startedLockout ?? []) {
      log.warn({ ...fields, event: 'auth.lockout', lock }, 'lockout started');
      write(actor, 'auth.lockout', partnerId, { lock });
    }
  };
}
