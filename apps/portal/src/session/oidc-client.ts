// The portal as an OAuth client of our own auth service (OpenID Connect
// authorization code, RFC 6749 §4.1 + RFC 7636 PKCE S256 + RFC 9207 `iss`):
// - sign-in starts with a fresh state, nonce and code verifier, kept in the
//   store under a random value that only this browser holds (the login cookie),
//   so a callback from another browser or a replayed one finds nothing;
// - the callback checks `iss` and `state`, redeems the code server to server
//   with the portal's own secret, and verifies the ID token (signature against
//   the auth service's JWKS, issuer, audience, nonce) before trusting `sub`;
// - tokens never reach the browser, and the access token is not kept at all
//   (the portal calls nothing with it); only the ID token is, as the hint of
//   the RP-initiated logout back to <PORTAL_URL>/signed-out.
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Problem } from '@passerelle/errors';
import type { KeyValueStore } from '@passerelle/store';

export const CALLBACK_PATH = '/auth/callback';
export const SIGNED_OUT_PATH = '/signed-out';
const SCOPE = 'openid profile';
const LOGIN_TTL_SECONDS = 600;

export interface OidcClientOptions {
  issuer: string;
  /** Server-to-server base URL of the auth service (the issuer unless a proxy sits between). */
  internalUrl: string;
  publicOrigin: string;
  clientId: string;
  clientSecret: string;
  kv: KeyValueStore;
}

export interface SignedIn {
  userId: string;
  idToken: string;
}

interface LoginTransaction {
  state: string;
  nonce: string;
  verifier: string;
}

const random = () => randomBytes(32).toString('base64url');
const loginKey = (handle: string) => `portal:login:${createHash('sha256').update(handle).digest('base64url')}`;

function refused(detail: string, cause?: unknown): Problem {
  return new Problem('invalid_request', { detail, cause });
}

export function createOidcClient(o: OidcClientOptions) {
  const authBase = o.issuer.replace(/\/$/, '');
  const redirectUri = `${o.publicOrigin}${CALLBACK_PATH}`;
  const jwks = createRemoteJWKSet(new URL(`${o.internalUrl}/jwks`));
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64')}`;

  /** Starts a sign-in: returns where to send the browser and the login cookie's value. */
  async function begin(): Promise<{ location: string; loginHandle: string }> {
    const loginHandle = random();
    const transaction: LoginTransaction = { state: random(), nonce: random(), verifier: random() };
    await o.kv.set(loginKey(loginHandle), JSON.stringify(transaction), LOGIN_TTL_SECONDS);
    const url = new URL(`${authBase}/auth`);
    url.search = new URLSearchParams({
      client_id: o.clientId, response_type: 'code', redirect_uri: redirectUri, scope: SCOPE,
      state: transaction.state, nonce: transaction.nonce,
      code_challenge: createHash('sha256').update(transaction.verifier).digest('base64url'), code_challenge_method: 'S256',
    }).toString();
    return { location: url.href, loginHandle };
  }

  async function redeem(code: string, verifier: string): Promise<{ id_token: string }> {
    const res = await fetch(`${o.internalUrl}/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof body['id_token'] !== 'string') {
      throw refused('The sign-in could not be completed. Start again.', new Error(`token endpoint answered ${res.status} ${String(body['error'] ?? '')}`));
    }
    return { id_token: body['id_token'] };
  }

  /** Finishes a sign-in from the callback's query, for the browser holding `loginHandle`. */
  async function complete(loginHandle: string | undefined, query: Record<string, unknown>): Promise<SignedIn> {
    const stored = loginHandle ? await o.kv.take(loginKey(loginHandle)) : undefined;
    if (!stored) throw refused('This sign-in has expired or was started in another browser. Start again.');
    const transaction = JSON.parse(stored) as LoginTransaction;
    if (query['state'] !== transaction.state) throw refused('This sign-in does not match the one this browser started. Start again.');
    if (query['iss'] !== o.issuer) throw refused('The sign-in answer did not come from our authorization server.');
    if (typeof query['error'] === 'string') {
      throw refused(query['error'] === 'access_denied' ? 'You declined the sign-in.' : 'The authorization server refused the sign-in. Start again.');
    }
    if (typeof query['code'] !== 'string') throw refused('The sign-in answer carries no code.');
    const tokens = await redeem(query['code'], transaction.verifier);
    let sub: string | undefined;
    try {
      const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: o.issuer, audience: o.clientId, algorithms: ['ES256'] });
      if (payload['nonce'] !== transaction.nonce) throw new Error('nonce mismatch');
      sub = payload.sub;
    } catch (err) {
      throw refused('The sign-in answer could not be verified. Start again.', err);
    }
    if (!sub) throw refused('The sign-in answer names no user.');
    return { userId: sub, idToken: tokens.id_token };
  }

  /** The auth service's end-session URL: ends the sign-in there too, then comes back to the portal. */
  function endSessionUrl(idToken: string | undefined): string {
    const url = new URL(`${authBase}/session/end`);
    url.search = new URLSearchParams({
      client_id: o.clientId, post_logout_redirect_uri: `${o.publicOrigin}${SIGNED_OUT_PATH}`, ...(idToken ? { id_token_hint: idToken } : {}),
    }).toString();
    return url.href;
  }

  return { begin, complete, endSessionUrl, redirectUris: [redirectUri, `${o.publicOrigin}${SIGNED_OUT_PATH}`] };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
