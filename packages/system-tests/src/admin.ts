// The admin's side, for tests: an admin client of the stack's own auth service
// (scope `admin`), and a small caller for /admin/v1.
import { getToken, registerClient, tokenRequest, type TestClient } from './oauth.ts';
import type { Stack } from './stack.ts';

export interface AdminCaller {
  client: TestClient;
  token: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

export async function adminCaller(stack: Stack): Promise<AdminCaller> {
  const client = await registerClient(stack, ['admin']);
  const token = await getToken(stack, client, 'admin');
  return {
    client,
    token,
    async call(method, path, body, bearer = token) {
      const res = await fetch(`${stack.authUrl}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
  };
}

/** A client-credentials token for a consumer-key and secret (e.g. as the admin API returned them). */
export async function tokenFor(stack: Stack, clientId: string, clientSecret: string, scope: string): Promise<string> {
  const res = await tokenRequest(stack, { clientId, clientSecret }, { scope });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
