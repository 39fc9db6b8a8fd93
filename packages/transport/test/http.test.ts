// The plain-HTTP side of the transport: slowloris is cut with 408, forwarded
// headers are believed only from a declared proxy, probes answer before the
// application, and a drain lets in-flight requests finish.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import type { TransportSettings } from '@passerelle/config';
import { createProbes, serve } from '../src/index.ts';
import { capturedLogger } from './support/capture.ts';
import { settingsFrom } from './support/settings.ts';

const defaults = settingsFrom({ SHUTDOWN_TIMEOUT_MS: '5000' });

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += String(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

async function echoServer(transport: Partial<TransportSettings> = {}, checks = {}) {
  return serve((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ xff: req.headers['x-forwarded-for'] ?? null, proto: req.headers['x-forwarded-proto'] ?? null, host: req.headers['x-forwarded-host'] ?? null }));
  }, { host: '127.0.0.1', port: 0, transport: { ...defaults, ...transport }, probes: createProbes(checks, { cacheMs: 0 }), log: capturedLogger().log });
}

describe('slowloris', () => {
  test('a client dribbling its headers gets 408 and the connection closed', async () => {
    const listening = await echoServer({ timeouts: { headersMs: 500, requestMs: 1_000, keepAliveMs: 1_000 } });
    try {
      const { port } = new URL(listening.url);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => { received += String(chunk); });
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {});
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
      let sent = 0;
      const drip = setInterval(() => {
        // keeps the connection busy forever unless the server cuts it; bounded so a failure ends
        if (++sent > 400 || socket.destroyed) clearInterval(drip);
        else socket.write(`X-Drip-${sent}: a\r\n`);
      }, 50);
      await closed;
      clearInterval(drip);
      assert.ok(sent < 400, 'the server never closed the connection');
      assert.match(received, /^HTTP\/1\.1 408 /);
    } finally {
      await listening.shutdown();
    }
  });
});

describe('slow bodies', () => {
  test('a client that sends its headers but not the body it announced gets 408 once the request time is up', async () => {
    const listening = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.end('complete'));
    }, {
      host: '127.0.0.1', port: 0, probes: createProbes({}), log: capturedLogger().log,
      transport: { ...defaults, timeouts: { headersMs: 300, requestMs: 600, keepAliveMs: 1_000 } },
    });
    try {
      const { port } = new URL(listening.url);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => { received += String(chunk); });
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write('POST /v1/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
      const guard = setTimeout(() => socket.destroy(), 20_000);
      await closed;
      clearTimeout(guard);
      assert.match(received, /^HTTP\/1\.1 408 /);
      assert.ok(!received.includes('complete'));
    } finally {
      await listening.shutdown();
    }
  });
});

describe('forwarded headers', () => {
  test('are dropped when the peer is not a declared proxy', async () => {
    const listening = await echoServer({ trustedProxies: ['10.0.0.0/8'] });
    try {
      const res = await get(`${listening.url}/`, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' });
      assert.deepEqual(JSON.parse(res.body), { xff: null, proto: null, host: null });
      assert.equal(res.headers['strict-transport-security'], undefined, 'a spoofed X-Forwarded-Proto earns no HSTS');
    } finally {
      await listening.shutdown();
    }
  });

  test('from a declared proxy, the client is the right-most address that is not a proxy', async () => {
    const listening = await echoServer({ trustedProxies: ['127.0.0.1', '10.1.0.0/16'] });
    try {
      const res = await get(`${listening.url}/`, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.1.2.3', 'x-forwarded-proto': 'https' });
      const seen = JSON.parse(res.body) as { xff: string; proto: string };
      assert.equal(seen.xff, '203.0.113.9');
      assert.equal(seen.proto, 'https');
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    } finally {
      await listening.shutdown();
    }
  });
});

describe('probes', () => {
  test('/healthz is live; /readyz reports each check and fails while one fails', async () => {
    let databaseUp = true;
    const listening = await echoServer({}, {
      database: async () => { if (!databaseUp) throw new Error('down'); },
      redis: async () => {},
    });
    try {
      assert.equal((await get(`${listening.url}/healthz`)).status, 200);
      const ready = await get(`${listening.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(JSON.parse(ready.body), { status: 'ready', checks: { database: 'ok', redis: 'ok' } });
      databaseUp = false;
      const notReady = await get(`${listening.url}/readyz`);
      assert.equal(notReady.status, 503);
      assert.deepEqual(JSON.parse(notReady.body), { status: 'not_ready', checks: { database: 'failed', redis: 'ok' } });
    } finally {
      await listening.shutdown();
    }
  });

  test('/readyz is cheap under a probe storm: one run of the checks per cache window, however many probes', async () => {
    let runs = 0;
    const probes = createProbes({ database: async () => { runs += 1; } }, { cacheMs: 60_000 });
    const listening = await serve((_req, res) => { res.end(); }, { host: '127.0.0.1', port: 0, transport: defaults, probes, log: capturedLogger().log });
    try {
      const answers = await Promise.all(Array.from({ length: 25 }, () => get(`${listening.url}/readyz`)));
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      assert.equal(runs, 1);
    } finally {
      await listening.shutdown();
    }
  });

  test('/readyz answers 503 draining once shutdown began, though every check passes', async () => {
    const probes = createProbes({ database: async () => {} }, { cacheMs: 0 });
    const listening = await serve((_req, res) => { res.end(); }, { host: '127.0.0.1', port: 0, transport: defaults, probes, log: capturedLogger().log });
    try {
      assert.equal((await get(`${listening.url}/readyz`)).status, 200);
      probes.drain();
      const draining = await get(`${listening.url}/readyz`);
      assert.equal(draining.status, 503);
      assert.deepEqual(JSON.parse(draining.body), { status: 'draining', checks: { database: 'ok' } });
    } finally {
      await listening.shutdown();
    }
  });
});

describe('drain', () => {
  test('a request in flight when the drain starts completes, with Connection: close; new connections are refused', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => { arrived = resolve; });
    const listening = await serve((_req, res) => {
      arrived();
      void gate.then(() => res.end('done'));
    }, { host: '127.0.0.1', port: 0, transport: defaults, probes: createProbes({}), log: capturedLogger().log });

    const pending = get(`${listening.url}/slow`);
    await inFlight;
    const drained = listening.shutdown();
    await assert.rejects(get(`${listening.url}/late`), /ECONNREFUSED/);
    release();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.body, 'done');
    assert.equal(res.headers.connection, 'close');
    assert.deepEqual(await drained, { forced: false });
  });
});

describe('drain deadline', () => {
  test('a request still running at SHUTDOWN_TIMEOUT_MS is cut, and the drain reports it was forced', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => { arrived = resolve; });
    const { log, lines } = capturedLogger();
    const listening = await serve(() => { arrived(); /* never answers */ }, {
      host: '127.0.0.1', port: 0, transport: { ...defaults, shutdownTimeoutMs: 200 }, probes: createProbes({}), log,
    });
    const pending = get(`${listening.url}/stuck`).then(() => 'answered', (err: Error & { code?: string }) => err.code ?? err.message);
    await inFlight;
    assert.deepEqual(await listening.shutdown(), { forced: true });
    assert.equal(await pending, 'ECONNRESET');
    assert.ok(lines.some((l) => l['event'] === 'shutdown.forced' && l['level'] === 'warn'));
  });
});
