// What the authorization server adds to oidc-provider's own handling of end
// users' tokens: replays become security events, a full logout ends every
// grant and token of the user, not only those of the session, and refused
// sign-ins reach the log (at warn) and the metrics, like the API's refusals.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { SignInRefusal } from '@passerelle/accounts';
import { recordSecurityEvent } from '@passerelle/audit';
import type { PrismaClient } from '@passerelle/db';
import { securityEvent, type Logger } from '@passerelle/log';
import type { Metrics } from '@passerelle/metrics';
import type { UserRevocation } from './user-revocation.ts';

/** A used refresh token or authorization code presented again: the provider has revoked the grant. */
function replayOf(ctx: KoaContextWithOIDC, err: Error & { error_detail?: string }) {
  const detail = err.error_detail;
  if (detail !== 'refresh token already used' && detail !== 'authorization code already consumed') return undefined;
  const grantId = ctx.oidc.entities.RefreshToken?.grantId ?? ctx.oidc.entities.AuthorizationCode?.grantId;
  return {
    action: detail.startsWith('refresh') ? 'token.refresh_reuse' : 'token.code_replay',
    targetType: 'grant',
    targetId: grantId,
    partnerId: ctx.oidc.client?.['partner_id' as keyof typeof ctx.oidc.client] as string | undefined,
    diff: { reason: detail, grant_revoked: true },
  };
}

/**
 * RP-initiated logout, when the user chose to sign out everywhere: beyond the
 * session and its grants (the provider ends those), every grant and token of the
 * user, before the answer goes back, so the API refuses them at once.
 */
export function endUserOnLogout(users: UserRevocation) {
  return async function endUserOnLogoutStep(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route !== 'end_session_confirm' || !oidc.params?.['logout']) return;
    const accountId = oidc.session?.accountId;
    if (accountId && ctx.status === 303) await users.revokeUser(accountId);
  };
}

/** Records a replay (the provider has already revoked the grant); other token errors are left alone. */
export function recordReplay(prisma: PrismaClient, log: Logger, ctx: KoaContextWithOIDC, err: Error & { error_detail?: string }): void {
  const replay = replayOf(ctx, err);
  if (!replay) return;
  const actor = { type: 'client' as const, id: ctx.oidc.client?.clientId ?? 'unknown', ip: ctx.ip, method: ctx.method, path: ctx.path };
  recordSecurityEvent(prisma, actor, replay).catch((cause: unknown) => log.error({ err: cause }, 'could not record a security event'));
}

/**
 * A refused sign-in (already audited by @passerelle/accounts): `auth.refused`
 * with its reason, or, while the account or address is locked, a rejection by
 * the `lockout` limiter (as the API counts its own); a lock it started is an
 * `auth.lockout`. The email is never logged: the user id says whose account.
 */
export function signInRefusals(log: Logger, metrics: Metrics) {
  return function onRefused({ action, reason, userId, startedLockout, context }: SignInRefusal): void {
    const fields = { route: action, userId, ip: context.ip, requestId: context.requestId };
    if (reason === 'locked') {
      metrics.rateLimitRejections.inc({ limiter: 'lockout' });
      securityEvent(log, 'rate_limit.rejected', { ...fields, reason: 'lockout' });
      return;
    }
    metrics.authFailures.inc({ reason });
    securityEvent(log, 'auth.refused', { ...fields, reason });
    for (const lock of startedLockout) securityEvent(log, 'auth.lockout', { ...fields, reason: `sign_in:${lock}` });
  };
}
