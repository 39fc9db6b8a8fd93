// The newcomer's path, as real processes: create a client with the admin CLI,
// start `pnpm start`'s launcher (PGlite + memory store, one process), get a
// token and call the API; then stop it cleanly.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { signRequest } from '@passerelle/signatures';

const root = workspaceRoot();
const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-embedded-'));
let server: ChildProcess | undefined;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const embeddedEnv = (extra: Record<string, string>) => {
  const env: Record<string, string | undefined> = { ...process.env, PASSERELLE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extra };
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  return env;
};

function admin(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), ...args], {
    cwd: root, env: embeddedEnv({}), encoding: 'utf8',
  });
}

let authUrl = '';
let bearer = '';
let signing: { keyId: string; signingKey: string } | undefined;
let apiUrl = '';
let portalPort = 0;
const portalEnv = () => ({ PORTAL_PORT: String(portalPort), PORTAL_URL: `http://127.0.0.1:${portalPort}` });

before(async () => {
  const [authPort, apiPort] = [await freePort(), await freePort()];
  portalPort = await freePort();
  authUrl = `http://127.0.0.1:${authPort}`;
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const env = embeddedEnv({ AUTH_PORT: String(authPort), API_PORT: String(apiPort), AUTH_ISSUER: authUrl, API_AUDIENCE: apiUrl, ...portalEnv() });
  const partner = admin(['partners', 'create', '--slug', 'acme', '--name', 'Acme']);
  assert.equal(partner.status, 0, partner.stderr);
  server = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/embedded/src/main.ts')], { cwd: root, env });
  server.stdout!.on('data', (d) => { output += String(d); });
  server.stderr!.on('data', (d) => { output += String(d); });
  const deadline = Date.now() + 60_000;
  while (!output.includes('auth, api and portal listening')) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`embedded launcher did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('the launcher warns that the embedded mode is not for production', () => {
  assert.match(output, /EMBEDDED MODE.*Not for production/);
});

test('while the launcher runs, the CLI says the database is in use instead of corrupting it', () => {
  const res = admin(['clients', 'create', '--partner', 'acme', '--scopes', 'partner:read']);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /in use|locked/i);
  assert.ok(!res.stdout.includes('cs_'));
});

test('client created before start → token → API, then a clean stop', async () => {
  // The CLI cannot open the folder while the launcher holds it: stop, create, restart.
  server!.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => server!.once('exit', (c) => r(c)));
  assert.equal(code, 0, output);

  const created = admin(['clients', 'create', '--partner', 'acme', '--scopes', 'partner:read', '--json']);
  assert.equal(created.status, 0, created.stderr);
  const { consumerKey, consumerSecret } = JSON.parse(created.stdout) as { consumerKey: string; consumerSecret: string };
  const shown = admin(['clients', 'signing-key', consumerKey, '--json']);
  assert.equal(shown.status, 0, shown.stderr);
  signing = JSON.parse(shown.stdout) as { keyId: string; signingKey: string };

  output = '';
  const [authPort, apiPort] = [new URL(authUrl).port, new URL(apiUrl).port];
  server = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/embedded/src/main.ts')], {
    cwd: root, env: embeddedEnv({ AUTH_PORT: authPort, API_PORT: apiPort, AUTH_ISSUER: authUrl, API_AUDIENCE: apiUrl, ...portalEnv() }),
  });
  server.stdout!.on('data', (d) => { output += String(d); });
  server.stderr!.on('data', (d) => { output += String(d); });
  while (!output.includes('auth, api and portal listening')) {
    if (server.exitCode !== null) throw new Error(output);
    await new Promise((r) => setTimeout(r, 100));
  }

  const token = await fetch(`${authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read' }),
  });
  assert.equal(token.status, 200);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const me = await fetch(`${apiUrl}/v1/partners/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(me.status, 200);
  assert.equal(((await me.json()) as { slug: string }).slug, 'acme');
  assert.ok(!output.includes(consumerSecret), 'the secret never reaches the log');
  bearer = accessToken;
});

test('the portal answers on its own port and sends a visitor to the auth service to sign in', async () => {
  const portal = `http://127.0.0.1:${portalPort}`;
  const home = await fetch(portal);
  assert.equal(home.status, 200);
  assert.match(home.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const login = await fetch(`${portal}/login`, { redirect: 'manual' });
  assert.equal(login.status, 303);
  const location = new URL(login.headers.get('location')!);
  assert.equal(location.origin, authUrl);
  assert.equal(location.searchParams.get('client_id'), 'passerelle-portal');
  assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
});

test('the signing key the CLI shows is the one the launcher verifies with (shared local secrets)', async () => {
  const post = (headers: Record<string, string>) => fetch(`${apiUrl}/v1/partners/me`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, ...headers } });
  assert.equal((await post({})).status, 401);
  const signature = signRequest({ method: 'POST', target: '/v1/partners/me' }, signing!);
  assert.equal((await post({ 'x-signature': signature })).status, 405, 'passes the guard; the route has no POST');
});
