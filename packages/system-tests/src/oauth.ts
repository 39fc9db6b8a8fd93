// A partner's side of the conversation, for tests: register a client, get a
// token with client-credentials, call the API.
import type { CreateClientInput } from '@passerelle/registry';
import type { Stack } from './stack.ts';

export interface TestClient {
  clientId: string;
  clientSecret: string;
  partnerId: string;
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
  return { clientId: client.clientId, clientSecret: consumerSecret, partnerId: partner.id };
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

export async function getToken(stack: Stack, client: TestClient, scope: string): Promise<string> {
  const res = await tokenRequest(stack, client, { scope });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export function callApi(stack: Stack, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
}
