// RFC 7009 revocation for JWT access tokens. oidc-provider authenticates the
// client and then refuses structured tokens with `unsupported_token_type`,
// because it never stored them. This step runs around the provider's own
// revocation endpoint: when that is the answer for an authenticated client, it
// verifies the JWT was signed by us for that same client and puts its `jti` on
// the deny-list the API consults. Per RFC 7009 §2.2 the answer is 200 whether
// or not the token was valid; a token of another client is left alone.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { securityEvent, type Logger } from '@passerelle/log';
import type { RevocationWriter } from '@passerelle/revocation';

export interface JwtRevocationOptions {
  issuer: string;
  publicJwks: { keys: JWK[] };
  revocation: RevocationWriter;
  log: Logger;
}

export function jwtRevocation({ issuer, publicJwks, revocation, log }: JwtRevocationOptions) {
  const keys = createLocalJWKSet(publicJwks);
  return async function revokeJwtAccessTokens(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route !== 'revocation' || ctx.status !== 400) return;
    if ((ctx.body as { error?: string } | undefined)?.error !== 'unsupported_token_type' || !oidc.client) return;

    const token = String(oidc.params?.['token'] ?? '');
    const clientId = oidc.client.clientId;
    const requestId = (ctx.state as { requestId?: string }).requestId;
    ctx.status = 200;
    ctx.body = '';
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, typ: 'at+jwt', algorithms: ['ES256'] }));
    } catch {
      return; // expired or not ours: nothing to revoke
    }
    if (payload['client_id'] !== clientId || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      securityEvent(log, 'revocation.refused', { reason: 'foreign_token', clientId, ip: ctx.ip, requestId });
      return;
    }
    await revocation.revokeToken({ jti: payload.jti, exp: payload.exp });
    securityEvent(log, 'token.revoked', { reason: 'client_request', clientId, jti: payload.jti, ip: ctx.ip, requestId });
  };
}
