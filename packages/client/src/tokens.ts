// Client-credentials access tokens, kept until shortly before they expire. One
// token request at a time: callers arriving while it is in flight share it.

import { errorOf } from './errors.ts';

export interface TokenSourceOptions {
  tokenUrl: string;
  consumerKey: string;
  consumerSecret: string;
  scope?: string;
  fetch: typeof fetch;
  now: () => number;
}

export interface TokenSource {
  /** A valid access token, from the cache or a new token request. */
  get(): Promise<string>;
  /** Forgets `token` (the API refused it), so the next get() asks for a new one. */
  drop(token: string): void;
}

/** A token is renewed this long before its expiry, so none expires in flight. */
const RENEW_BEFORE_MS = 30_000;

function basic(id: string, secret: string): string {
  // RFC 6749 §2.3.1: form-encode each part, then base64.
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function createTokenSource(o: TokenSourceOptions): TokenSource {
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(): Promise<string> {
    const res = await o.fetch(o.tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(o.consumerKey, o.consumerSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(o.scope ? { scope: o.scope } : {}) }),
    });
    if (!res.ok) throw await errorOf(res);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') throw new Error('the token endpoint answered without access_token or expires_in');
    cached = { token: body.access_token, renewAt: o.now() + Math.max(0, body.expires_in * 1000 - RENEW_BEFORE_MS) };
    return body.access_token;
  }

  return {
    get() {
      if (cached && o.now() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= request().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    drop(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
