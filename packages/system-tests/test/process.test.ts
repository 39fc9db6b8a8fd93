// The services as real processes: a bad configuration stops the start-up with
// one line naming the variable, and SIGTERM under load finishes every request
// the API had accepted, closes Redis and the database, and exits 0.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { getToken, registerClient, startStack, type Stack } from '../src/index.ts';

const root = workspaceRoot();
const services = { api: 'apps/api/src/main.ts', auth: 'apps/auth/src/main.ts' } as const;

function startOnly(service: keyof typeof services, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, services[service])], {
    cwd: root, env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8', timeout: 60_000,
  });
}

describe('start-up', () => {
  const shared = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
  const cases: [keyof typeof services, Record<string, string>, RegExp][] = [
    ['api', { ...shared, API_PORT: 'eighty' }, /^invalid configuration: API_PORT: /],
    ['api', { DATABASE_URL: shared.DATABASE_URL }, /^invalid configuration: REDIS_URL: /],
    ['auth', { ...shared }, /^invalid configuration: SIGNING_KEY_ENCRYPTION_KEY: required/],
    ['auth', { ...shared, NODE_ENV: 'production', AUTH_ISSUER: 'http://auth.example.com', TRUSTED_PROXIES: '10.0.0.1' }, /^invalid configuration: AUTH_ISSUER: must be an https/],
    ['api', { ...shared, NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com' }, /^invalid configuration: TLS_CERT_FILE: required in production/],
    ['api', { ...shared, TLS_CERT_FILE: '/nonexistent/fullchain.pem' }, /^invalid configuration: TLS_KEY_FILE: /],
  ];
  for (const [service, env, expected] of cases) {
    test(`${service} stops with one line: ${expected.source.replace(/\\|\^/g, '')}`, () => {
      const res = startOnly(service, env);
      assert.equal(res.status, 1, res.stderr);
      assert.equal(res.stdout, '');
      // oidc-provider warns about Node 20 when it is imported: not ours, and not about the config.
      const lines = res.stderr.trim().split('\n').filter((l) => !l.startsWith('oidc-provider WARNING: Unsupported runtime'));
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, expected);
    });
  }
});

const shared = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

describe('SIGTERM under load', { skip: shared ? false : 'the API process runs alone only on PostgreSQL + Redis' }, () => {
  let stack: Stack;
  let jwks: Server;
  let releaseJwks!: () => void;
  let jwksAsked!: () => void;
  const jwksGate = new Promise<void>((resolve) => { releaseJwks = resolve; });
  const jwksRequested = new Promise<void>((resolve) => { jwksAsked = resolve; });

  before(async () => {
    stack = await startStack();
    // The API fetches keys on its first token; holding that fetch keeps every request in flight.
    jwks = createServer((_req, res) => {
      jwksAsked();
      void jwksGate.then(async () => {
        const upstream = await fetch(`${stack.authUrl}/jwks`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(await upstream.text());
      });
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    releaseJwks();
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
    await stack.close();
  });

  test('every accepted request completes, then the process exits 0', async () => {
    const client = await registerClient(stack, ['partner:read']);
    const token = await getToken(stack, client, 'partner:read');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, services.api)], {
      cwd: root,
      env: {
        PATH: process.env['PATH'], LOG_LEVEL: 'info', API_PORT: '0',
        SIGNATURE_MASTER_KEY: stack.env['SIGNATURE_MASTER_KEY']!, DATABASE_URL: stack.env['DATABASE_URL']!, REDIS_URL: stack.env['REDIS_URL']!, REDIS_KEY_PREFIX: stack.env['REDIS_KEY_PREFIX']!,
        AUTH_ISSUER: stack.authUrl, API_AUDIENCE: stack.apiUrl, API_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
        RATE_LIMIT_TIERS: JSON.stringify({ basic: { perSecond: 100_000 }, standard: { perSecond: 100_000 }, premium: { perSecond: 100_000 } }),
      },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    while (!output.includes('"api listening"')) {
      if (child.exitCode !== null) throw new Error(output);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const apiUrl = /"url":"(http:\/\/[^"]+)"/.exec(output)![1]!;

    type Outcome = { status: number } | { error: string };
    const call = () => new Promise<Outcome>((resolve) => {
      request(`${apiUrl}/v1/partners/me`, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (err: Error & { code?: string }) => resolve({ error: err.code ?? err.message }));
      }).on('error', (err: Error & { code?: string }) => resolve({ error: err.code ?? err.message })).end();
    });

    // 24 workers, each with one request held in the API (waiting for the keys), then more until refused.
    const inFlight: Promise<Outcome>[] = [];
    const afterwards: Outcome[] = [];
    let stopping = false;
    const workers = Array.from({ length: 24 }, async () => {
      const first = call();
      inFlight.push(first);
      await first;
      while (stopping) {
        const next = await call();
        afterwards.push(next);
        if ('error' in next) break;
      }
    });
    await jwksRequested;
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the other workers' requests reach the API
    stopping = true;
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseJwks();
    await Promise.all(workers);

    const outcomes = await Promise.all(inFlight);
    assert.equal(outcomes.length, 24);
    assert.deepEqual(outcomes.filter((o) => !('status' in o) || o.status !== 200), [], 'every in-flight request succeeded');
    assert.deepEqual(afterwards.filter((o) => 'status' in o ? o.status !== 200 : o.error !== 'ECONNREFUSED'), [], 'later requests succeed or are refused, never cut');
    assert.equal(await exited, 0, output);
    assert.match(output, /"event":"shutdown.complete","forced":false/);
  });
});
