// Who may call the admin API: the bearer of an access token that this same
// authorization server issued (ES256 under its own keys, typ at+jwt, its issuer
// and audience), not revoked, whose client is still active, called from inside
// that client's IP allowlist (as at the token endpoint and the API: a stolen
// admin token is no use outside the admins' network), and which carries the
// `admin` scope. The admin is a client of its own server; there is no other
// way in. Failures are RFC 6750 challenges: 401 for the token, 403 for the scope.
// A caller with a genuine token that is refused anyway (revoked, client
// disabled, no admin scope) is reported through `onDenied` as a security event;
// tokens that do not verify are not, since anyone can send those in bulk.
import type { Context, Next } from 'koa';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import type { Actor } from '@passerelle/audit';
import { isAddressAllowed } from '@passerelle/client-ip';
import { Problem } from '@passerelle/errors';
import { extractBearer } from '@passerelle/guard';
import type { RevocationMirror } from '@passerelle/revocation';
import type { Registry } from '@passerelle/registry';

export const ADMIN_SCOPE = 'admin';

export interface AdminState {
  requestId?: string;
  actor: Actor;
}

export interface AdminAuthOptions {
  issuer: string;
  audience: string;
  publicJwks: { keys: JWK[] };
  revocation: Pick<RevocationMirror, 'isRevoked'>;
  registry: Pick<Registry, 'findActiveClient'>;
  onDenied?: (actor: Actor, reason: 'revoked' | 'client_inactive' | 'ip_not_allowed' | 'insufficient_scope') => void;
}

function invalidToken(description: string, cause?: unknown): Problem {
  return new Problem('invalid_token', { detail: description, challenge: { error: 'invalid_token', error_description: description }, cause });
}

export function authenticateAdmin(options: AdminAuthOptions) {
  const keys = createLocalJWKSet(options.publicJwks);
  const verifyOptions = {
    issuer: options.issuer, audience: options.audience, typ: 'at+jwt', algorithms: ['ES256'],
    clockTolerance: 5, requiredClaims: ['jti', 'iat', 'exp', 'client_id'],
  };
  return async function authenticateAdminStep(ctx: Context & { state: AdminState }, next: Next): Promise<void> {
    const token = extractBearer(ctx.get('authorization') || undefined);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, verifyOptions));
    } catch (err) {
      throw invalidToken('the token is not valid', err);
    }
    const clientId = String(payload['client_id']);
    const userId = payload.sub !== undefined && payload.sub !== clientId ? payload.sub : undefined;
    const actor: Actor = {
      type: 'admin', id: clientId, credential: 'bearer',
      requestId: ctx.state.requestId, ip: ctx.ip, method: ctx.method, path: ctx.path,
    };
    if (options.revocation.isRevoked({ jti: payload.jti!, iat: payload.iat!, clientId, userId })) {
      options.onDenied?.(actor, 'revoked');
      throw invalidToken('the token has been revoked');
    }
    const client = await options.registry.findActiveClient(clientId);
    if (!client) {
      options.onDenied?.(actor, 'client_inactive');
      throw invalidToken('the client is not active');
    }
    if (!isAddressAllowed(client.ipAllowlist, ctx.ip || undefined)) {
      options.onDenied?.(actor, 'ip_not_allowed');
      throw new Problem('ip_not_allowed', { detail: 'This client is not allowed to call from this address.' });
    }
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    if (!scopes.includes(ADMIN_SCOPE)) {
      options.onDenied?.({ ...actor, type: 'client' }, 'insufficient_scope');
      throw new Problem('insufficient_scope', {
        detail: `The admin API requires the scope "${ADMIN_SCOPE}".`,
        challenge: { error: 'insufficient_scope', scope: ADMIN_SCOPE, error_description: `requires ${ADMIN_SCOPE}` },
      });
    }
    ctx.state.actor = actor;
    await next();
  };
}
