// Native HTTPS: TLS 1.3 only, HSTS, the redirect listener and certificate
// renewal without restart, against a real listener and real TLS clients.
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import type { TransportSettings } from '@passerelle/config';
import { createProbes, serve, type Listening } from '../src/index.ts';
import { capturedLogger } from './support/capture.ts';
import { settingsFrom } from './support/settings.ts';
import { certificateDir, writeGarbage, type CertificateDir } from './support/certificates.ts';

const defaults = settingsFrom({ SHUTDOWN_TIMEOUT_MS: '5000' });

function settings(certs: CertificateDir, overrides: Partial<TransportSettings> = {}): TransportSettings {
  return { ...defaults, tls: { certFile: certs.certFile, keyFile: certs.keyFile, reloadIntervalMs: 100 }, redirectPort: 0, ...overrides };
}

function handshake(url: string, ca: string, options: { maxVersion?: 'TLSv1.2' } = {}): Promise<{ protocol: string | null; peer: PeerCertificate }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), servername: 'localhost', ca, ...options }, () => {
      const result = { protocol: socket.getProtocol(), peer: socket.getPeerCertificate() };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

function httpsRequest(url: string, ca: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca, servername: 'localhost', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += String(chunk); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

function httpRequest(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    }).on('error', reject);
  });
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last!;
}

describe('native HTTPS', () => {
  const certs = certificateDir();
  const { log, lines } = capturedLogger();
  let ca: string;
  let listening: Listening;

  before(async () => {
    ca = certs.issue('first.test');
    listening = await serve((_req, res) => { res.end('hello'); }, {
      host: '127.0.0.1', port: 0, transport: settings(certs), probes: createProbes({}), log,
    });
  });
  after(async () => {
    await listening.shutdown();
    certs.remove();
  });

  test('serves over HTTPS with a TLS 1.3 handshake', async () => {
    assert.match(listening.url, /^https:\/\//);
    const { protocol, peer } = await handshake(listening.url, ca);
    assert.equal(protocol, 'TLSv1.3');
    assert.equal(peer.subject.CN, 'first.test');
  });

  test('refuses a client that cannot do better than TLS 1.2', async () => {
    await assert.rejects(handshake(listening.url, ca, { maxVersion: 'TLSv1.2' }), (err: Error & { code?: string }) => {
      assert.match(String(err.code), /ERR_SSL_(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE)/);
      return true;
    });
  });

  test('HTTPS responses, probes included, carry HSTS for a year with subdomains', async () => {
    const res = await httpsRequest(`${listening.url}/anything`, ca);
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const probe = await httpsRequest(`${listening.url}/healthz`, ca);
    assert.equal(probe.status, 200);
    assert.equal(probe.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', 'probe answers over HTTPS too');
  });

  test('the plain-HTTP listener answers 308 to the same path over HTTPS, probes aside', async () => {
    assert.ok(listening.redirectUrl);
    const res = await httpRequest(`${listening.redirectUrl}/v1/partners/me?x=1`);
    assert.equal(res.status, 308);
    const httpsPort = new URL(listening.url).port;
    assert.equal(res.headers.location, `https://127.0.0.1:${httpsPort}/v1/partners/me?x=1`);
    assert.equal(res.headers['strict-transport-security'], undefined);
    const probe = await httpRequest(`${listening.redirectUrl}/healthz`);
    assert.equal(probe.status, 200);
  });

  test('a renewed certificate reaches new connections without a restart; a broken one is refused and the old one kept', async () => {
    const renewedCa = certs.issue('renewed.test');
    const seen = await eventually(() => handshake(listening.url, `${ca}${renewedCa}`), (r) => r.peer.subject.CN === 'renewed.test');
    assert.equal(seen.peer.subject.CN, 'renewed.test');
    assert.equal(seen.protocol, 'TLSv1.3');
    assert.ok(lines.some((l) => l['event'] === 'tls.reloaded'));

    writeGarbage(certs.certFile);
    await eventually(async () => lines.some((l) => l['event'] === 'tls.reload_failed'), Boolean);
    assert.ok(lines.some((l) => l['event'] === 'tls.reload_failed' && l['level'] === 'error'));
    const still = await handshake(listening.url, renewedCa);
    assert.equal(still.peer.subject.CN, 'renewed.test');
  });
});

describe('HSTS preload', () => {
  test('HSTS_PRELOAD adds preload', async () => {
    const certs = certificateDir();
    const ca = certs.issue('preload.test');
    const listening = await serve((_req, res) => { res.end(); }, {
      host: '127.0.0.1', port: 0, transport: settings(certs, { hsts: { maxAge: 63_072_000, preload: true }, redirectPort: undefined }),
      probes: createProbes({}), log: capturedLogger().log,
    });
    try {
      const res = await httpsRequest(listening.url, ca);
      assert.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains; preload');
      assert.equal(listening.redirectUrl, undefined);
    } finally {
      await listening.shutdown();
      certs.remove();
    }
  });
});
