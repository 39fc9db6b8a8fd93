// The admin's side, for tests: an admin client of the stack's own auth service
// (scope `admin`), and a small caller for /admin/v1.
import { getToken, registerClient, type TestClient } from './oauth.ts';
import type { Stack } from './stack.ts';

export interface AdminAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface AdminCaller {
  client: TestClient;
  token: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<AdminAnswer>;
}

/** `onAnswer` sees every answer, e.g. to check afterwards that none carried a secret or a hash. */
export async function adminCaller(stack: Stack, onAnswer: (answer: AdminAnswer) => void = () => {}): Promise<AdminCaller> {
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
      const answer = { status: res.status, body: parsed, text, headers: res.headers };
      onAnswer(answer);
      return answer;
    },
  };
}
