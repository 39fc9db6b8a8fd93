// Each service (auth, api, portal), as the real process production runs (apps/*/src/main.ts), in
// production mode with a certificate and no proxy in front: HTTPS with TLS 1.3
// only, HSTS, the plain-HTTP listener answering 308 (probes aside), /metrics on
// its own port and not on the public one, and SIGTERM ending in exit 0. The
// transport's own tests (packages/transport) cover renewal without restart.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { startStack, type Stack } from '../src/index.ts';

const root = workspaceRoot();
const shared = Boolean(process.env['DATABASE_URL'] && process.env['REDIS_URL']);

/** A self-signed P-256 certificate for localhost and 127.0.0.1, made for this test. */
function issueCertificate(dir: string): { certFile: string; keyFile: string; ca: string } {
  const certFile = join(dir, 'fullchain.pem');
  const keyFile = join(dir, 'privkey.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { certFile, keyFile, ca: readFileSync(certFile, 'utf8') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

interface Running { child: ChildProcess; output: () => string; listening: { url: string; redirect: string; metrics: string }; exited: Promise<number | null> }

async function startService(entry: string, env: Record<string, string>, ready: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], { cwd: root, env: { PATH: process.env['PATH'], ...env } });
  let output = '';
  child.stdout.on('data', (d) => { output += String(d); });
  child.stderr.on('data', (d) => { output += String(d); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (;;) {
    const line = output.split('\n').find((l) => l.includes(`"msg":"${ready}"`));
    if (line) return { child, output: () => output, listening: JSON.parse(line) as Running['listening'], exited };
    if (child.exitCode !== null) throw new Error(output);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function handshake(url: string, ca: string, maxVersion?: 'TLSv1.2'): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(url).port), servername: 'localhost', ca, ...(maxVersion ? { maxVersion } : {}) }, () => {
      const protocol = socket.getProtocol();
      socket.end();
      resolve(protocol);
    });
    socket.on('error', reject);
  });
}

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };
function fetchOver(url: string, ca?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.on('data', (c) => { body += String(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    };
    (url.startsWith('https:') ? httpsGet(url, { ca, agent: false }, onResponse) : httpGet(url, { agent: false }, onResponse)).on('error', reject);
  });
}

describe('each service serving HTTPS itself, in production mode', { skip: shared ? false : 'the services run alone only on PostgreSQL + Redis' }, () => {
  let stack: Stack;
  let dir: string;
  let certificate: ReturnType<typeof issueCertificate>;
  const running: Record<string, Running> = {};

  before(async () => {
    stack = await startStack();
    dir = mkdtempSync(join(tmpdir(), 'passerelle-native-tls-'));
    certificate = issueCertificate(dir);
    const env = async (): Promise<Record<string, string>> => ({
      NODE_ENV: 'production', LOG_LEVEL: 'info',
      DATABASE_URL: stack.env['DATABASE_URL']!, REDIS_URL: stack.env['REDIS_URL']!, REDIS_KEY_PREFIX: stack.env['REDIS_KEY_PREFIX']!,
      AUTH_ISSUER: 'https://auth.example.test', API_AUDIENCE: 'https://api.example.test',
      TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile,
      HTTP_REDIRECT_PORT: String(await freePort()), METRICS_PORT: String(await freePort()),
    });
    running['auth'] = await startService('apps/auth/src/main.ts', {
      ...(await env()), AUTH_PORT: '0', SIGNING_KEY_ENCRYPTION_KEY: stack.env['SIGNING_KEY_ENCRYPTION_KEY']!, COOKIE_KEYS: stack.env['COOKIE_KEYS']!,
    }, 'auth service listening');
    running['api'] = await startService('apps/api/src/main.ts', {
      ...(await env()), API_PORT: '0', SIGNATURE_MASTER_KEY: stack.env['SIGNATURE_MASTER_KEY']!, API_JWKS_URL: `${stack.authUrl}/jwks`,
    }, 'api listening');
    running['portal'] = await startService('apps/portal/src/main.ts', {
      ...(await env()), PORTAL_PORT: '0', PORTAL_URL: 'https://portal.example.test', PORTAL_AUTH_URL: stack.authUrl,
      PORTAL_CLIENT_SECRET: 'native-tls-test-portal-client-secret-0123456789',
      PORTAL_COOKIE_KEY: 'native-tls-test-portal-cookie-key-0123456789abcdef',
      SIGNATURE_MASTER_KEY: stack.env['SIGNATURE_MASTER_KEY']!, SIGNING_KEY_ENCRYPTION_KEY: stack.env['SIGNING_KEY_ENCRYPTION_KEY']!,
    }, 'partner portal listening');
  });
  after(async () => {
    for (const service of Object.values(running)) if (service.child.exitCode === null) service.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await stack.close();
  });

  for (const [name, origin] of [['auth', 'https://auth.example.test'], ['api', 'https://api.example.test'], ['portal', 'https://portal.example.test']] as const) {
    test(`${name}: TLS 1.3 only, HSTS on HTTPS, 308 from plain HTTP, /metrics apart, exit 0 on SIGTERM`, async () => {
      const { listening, child, exited, output } = running[name]!;
      assert.match(listening.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await handshake(listening.url, certificate.ca), 'TLSv1.3');
      await assert.rejects(handshake(listening.url, certificate.ca, 'TLSv1.2'), (err: Error & { code?: string }) => {
        assert.match(String(err.code), /ERR_SSL_(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE)/);
        return true;
      });

      const ready = await fetchOver(`${listening.url}/readyz`, certificate.ca);
      assert.equal(ready.status, 200, ready.body);
      assert.equal(ready.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const page = await fetchOver(`${listening.url}/nowhere`, certificate.ca);
      assert.equal(page.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');

      const redirected = await fetchOver(`${listening.redirect}/v1/partners/me?x=1`);
      assert.equal(redirected.status, 308);
      assert.equal(redirected.headers.location, `${origin}/v1/partners/me?x=1`);
      assert.equal(redirected.headers['strict-transport-security'], undefined);
      assert.equal((await fetchOver(`${listening.redirect}/healthz`)).status, 200);

      const metrics = await fetchOver(`${listening.metrics}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, new RegExp(`passerelle_dependency_up\\{dependency="database",service="${name}"\\} 1`));
      assert.notEqual((await fetchOver(`${listening.url}/metrics`, certificate.ca)).status, 200);

      child.kill('SIGTERM');
      assert.equal(await exited, 0, output());
      assert.match(output(), /"event":"shutdown.complete","forced":false/);
    });
  }
});
