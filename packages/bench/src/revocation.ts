// How long a revocation takes to reach the API: revoke a token the API has just
// accepted (so it sits in the verified-token cache), then ask the API with it
// back to back until it answers 401. Timed from the start of the revocation
// request, so the figure includes the auth service's own work.
import { performance } from 'node:perf_hooks';

export interface PropagationOptions {
  authUrl: string;
  apiUrl: string;
  path: string;
  client: { clientId: string; clientSecret: string };
  scope: string;
  samples: number;
}

export interface PropagationResult {
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function issueToken(authUrl: string, client: { clientId: string; clientSecret: string }, scope: string): Promise<string> {
  const res = await fetch(`${authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

async function status(url: string, token: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

export async function measurePropagation(options: PropagationOptions): Promise<PropagationResult> {
  const samplesMs: number[] = [];
  const url = `${options.apiUrl}${options.path}`;
  for (let i = 0; i < options.samples; i += 1) {
    const token = await issueToken(options.authUrl, options.client, options.scope);
    if ((await status(url, token)) !== 200) throw new Error('a fresh token was not accepted by the API');
    const started = performance.now();
    const revoked = await fetch(`${options.authUrl}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(options.client.clientId, options.client.clientSecret) },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!revoked.ok) throw new Error(`revocation failed: ${revoked.status}`);
    for (;;) {
      const code = await status(url, token);
      if (code === 401) break;
      if (performance.now() - started > 10_000) throw new Error('the API still accepted a revoked token after 10 s');
    }
    samplesMs.push(Math.round((performance.now() - started) * 10) / 10);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { samplesMs, medianMs: sorted[Math.floor(sorted.length / 2)]!, maxMs: sorted[sorted.length - 1]! };
}
