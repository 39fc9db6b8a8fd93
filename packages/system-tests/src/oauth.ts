// A partner's side of the conversation, for tests: register a client, get a
// token with client-credentials, call the API (signed with x-signature when
// the client's signature policy asks for it).
import type { CreateClientInput } from '@passerelle/registry';
import { deriveSigningKey, formatKeyId, signRequest, type SigningCredentials } from '@passerelle/signatures';
import type { Stack } from './stack.ts';

export interface TestClient {
  clientId: string;
  clientSecret: string;
  partnerId: string;
  /** Its request-signing key (version 1, as registered), as `pnpm admin clients signing-key` shows it. */
  signing: SigningCredentials;
}

let counter = 0;

export async function registerClient(stack: Stack, scopes: string[], extra: Partial<Omit<CreateClientInput, 'partner' | 'scopes'>> = {}): Promise<TestClient> {
  counter += 1;
  const slug = `partner-${process.pid}-${counter}`;
  const actor = { type: 'system' as const, id: 'test' };
  const partner = await stack.registry.createPartner(actor, { slug, name: `Partner ${counter}` });
  const { client, consumerSecret } = await stack.registry.createClient(actor, {
    partner: slug, name: 'test client', scopes: scopes as never, ...extra,
  });
  return {
    clientId: client.clientId, clientSecret: consumerSecret, partnerId: partner.id, signing: signingCredentials(stack, client.clientId),
  };
}

/**
 * A client's signing key, derived from the stack's master key as the API does
 * (no audit event; the admin path is `createSigningKeyRegistry`).
 */
export function signingCredentials(stack: Stack, clientId: string, keyVersion = 1): SigningCredentials {
  const masterKey = Buffer.from(stack.env['SIGNATURE_MASTER_KEY']!, 'base64url');
  return { keyId: formatKeyId(clientId, keyVersion), signingKey: deriveSigningKey(masterKey, clientId, keyVersion) };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function tokenRequest(stack: Stack, client: { clientId: string; clientSecret: string }, params: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
}

export async function getToken(stack: Stack, client: Pick<TestClient, 'clientId' | 'clientSecret'> & Partial<TestClient>, scope: string): Promise<string> {
  const res = await tokenRequest(stack, client, { scope });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export function callApi(stack: Stack, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
}

/** The x-signature for a request to the API; `body` must be what is sent (a string here). */
export function signatureFor(credentials: SigningCredentials, method: string, path: string, body = '', timestamp?: number): string {
  return signRequest({ method, target: path, body }, credentials, timestamp);
}

/** callApi, signed with the client's key (the body, if any, must be a string). */
export function callApiSigned(
  stack: Stack, path: string, token: string, credentials: SigningCredentials, init: RequestInit & { body?: string } = {},
): Promise<Response> {
  const signature = signatureFor(credentials, init.method ?? 'GET', path, init.body ?? '');
  return callApi(stack, path, token, { ...init, headers: { 'x-signature': signature, ...init.headers } });
}

/** Whether the API comes to refuse `token` on `path` (401) within 10 s: revocations reach its mirror asynchronously. */
export async function refusedByApi(stack: Stack, path: string, token: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await callApi(stack, path, token);
    await res.arrayBuffer();
    if (res.status === 401) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
