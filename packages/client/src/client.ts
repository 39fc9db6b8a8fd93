// A partner's client for the Passerelle API: client-credentials tokens (see
// tokens.ts), `Authorization: Bearer` on every call, `x-signature` on every
// call when the client's signing key is given (the reference signer that the
// API's verifier shares), JSON in and out, and refusals as PasserelleError.
// A call the API refuses because its token is no longer valid (revoked,
// expired early, signing key rotated) is retried once with a new token.
import { signRequest, type SigningCredentials } from '@passerelle/signatures/reference-signer';
import { errorOf } from './errors.ts';
import { ordersOf, type Orders } from './orders.ts';
import { createTokenSource } from './tokens.ts';

export interface PartnerClientOptions {
  /** The auth service's issuer URL; tokens come from `<authUrl>/token`. */
  authUrl: string;
  /** The API's base URL, e.g. `https://api.example.com`. */
  apiUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Space-separated scopes to ask for; all the client's API scopes when omitted. */
  scope?: string;
  /** The client's request-signing key (Signing page, or `pnpm admin clients signing-key`): every call is then signed. */
  signing?: SigningCredentials;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Epoch milliseconds; defaults to Date.now. */
  now?: () => number;
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Makes a POST safe to retry: the API answers a repeat with the first result. */
  idempotencyKey?: string;
  /** The ETag a change is based on (required by PUT and DELETE). */
  ifMatch?: string;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** The resource's version, for the next `ifMatch`. */
  etag: string | undefined;
  headers: Headers;
}

export interface PartnerClient {
  /** Calls `path` (with its query) on the API; throws PasserelleError on any non-2xx answer. */
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  orders: Orders;
}

export function createPartnerClient(options: PartnerClientOptions): PartnerClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const apiUrl = options.apiUrl.replace(/\/$/, '');
  const tokens = createTokenSource({
    tokenUrl: `${options.authUrl.replace(/\/$/, '')}/token`,
    consumerKey: options.consumerKey,
    consumerSecret: options.consumerSecret,
    ...(options.scope ? { scope: options.scope } : {}),
    fetch: fetchFn,
    now,
  });

  // The signature covers the request and a timestamp in seconds, and the API
  // refuses one it has seen (a replay). Two identical requests in one second (a
  // quick retry) would carry the same one, so the second is signed a second
  // later: still inside the API's clock-skew window.
  const sentSignatures = new Map<string, number>();
  function signatureFor(method: string, path: string, body: string, signing: SigningCredentials): string {
    const second = Math.floor(now() / 1000);
    for (const [sent, at] of sentSignatures) if (at < second) sentSignatures.delete(sent);
    let at = second;
    let signature = signRequest({ method, target: path, body }, signing, at);
    while (sentSignatures.has(signature)) {
      at += 1;
      signature = signRequest({ method, target: path, body }, signing, at);
    }
    sentSignatures.set(signature, at);
    return signature;
  }

  async function send(method: string, path: string, call: CallOptions, token: string): Promise<Response> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    if (call.ifMatch !== undefined) headers['if-match'] = call.ifMatch;
    if (options.signing) headers['x-signature'] = signatureFor(method, path, body ?? '', options.signing);
    return fetchFn(`${apiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  }

  async function call<T>(method: string, path: string, callOptions: CallOptions = {}): Promise<ApiResponse<T>> {
    if (!path.startsWith('/')) throw new TypeError('path must start with /');
    let token = await tokens.get();
    let res = await send(method, path, callOptions, token);
    if (res.status === 401 && /error="invalid_token"/.test(res.headers.get('www-authenticate') ?? '')) {
      await res.body?.cancel();
      tokens.drop(token);
      token = await tokens.get();
      res = await send(method, path, callOptions, token);
    }
    if (!res.ok) throw await errorOf(res);
    const body = (res.status === 204 ? undefined : await res.json()) as T;
    return { status: res.status, body, etag: res.headers.get('etag') ?? undefined, headers: res.headers };
  }

  return { call, orders: ordersOf(call) };
}
