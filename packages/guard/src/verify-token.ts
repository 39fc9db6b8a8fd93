// Verifies a JWT access token (RFC 9068) against the authorization server's
// JWKS: signature with an allowlisted asymmetric algorithm only (so `none` and
// HS256-with-the-public-key are refused), `typ: at+jwt`, issuer, audience,
// exp/nbf with a small tolerance, and the claims the API relies on.
// Key rotation: the JWKS copy is refetched once it is older than its max age
// (before the request that finds it stale is verified), and a token with an
// unknown `kid` triggers a refetch too, at most once per cooldown so forged kids
// cannot turn the API into a JWKS flood. The auth service publishes a new key
// longer than that max age before it signs with it, so a rotation finds every
// copy already holding the new key and the cooldown never refuses a real token.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { Problem } from '@passerelle/errors';
import type { Principal } from './principal.ts';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: URL;
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /** Seconds a fetched JWKS is used before it is fetched again (default 300). */
  jwksCacheMaxAgeSeconds?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

function invalidToken(description: string, cause?: unknown): Problem {
  return new Problem('invalid_token', { detail: description, challenge: { error: 'invalid_token', error_description: description }, cause });
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not valid here`;
  return 'the token is not valid';
}

function toPrincipal(payload: JWTPayload): Principal {
  const { jti, exp, iat, sub, client_id: clientId, scope, partner_id: partnerId } = payload as JWTPayload & Record<string, unknown>;
  if (typeof jti !== 'string' || typeof exp !== 'number' || typeof iat !== 'number' || typeof clientId !== 'string' || typeof sub !== 'string') {
    throw invalidToken('the token lacks a required claim');
  }
  return {
    credential: 'bearer',
    clientId,
    subject: sub,
    // client-credentials tokens name the client as their subject; anything else is a user
    userId: sub === clientId ? undefined : sub,
    partnerId: typeof partnerId === 'string' ? partnerId : undefined,
    scopes: new Set(typeof scope === 'string' && scope ? scope.split(' ') : []),
    tokenId: jti,
    issuedAt: iat,
    expiresAt: exp,
  };
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const cacheMaxAge = (options.jwksCacheMaxAgeSeconds ?? 300) * 1000;
  const jwks = createRemoteJWKSet(options.jwksUrl, { cacheMaxAge, cooldownDuration: Math.min(30_000, cacheMaxAge) });
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? ['ES256'],
    typ: 'at+jwt',
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['jti', 'exp', 'iat', 'sub', 'client_id'],
  };
  return async function verifyToken(token) {
    try {
      const { payload } = await jwtVerify(token, jwks, verifyOptions);
      return toPrincipal(payload);
    } catch (err) {
      if (err instanceof Problem) throw err;
      // A JWKS that cannot be fetched is our outage, not the caller's bad token.
      if (err instanceof joseErrors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))) {
        throw new Problem('service_unavailable', { cause: err });
      }
      throw invalidToken(describe(err), err);
    }
  };
}
