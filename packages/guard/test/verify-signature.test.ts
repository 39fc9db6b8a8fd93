// The signature step's policy decisions and its wiring guard, over real HTTP
// with the real verifier and an in-memory replay cache (the Redis-backed cache
// is proven in @passerelle/signatures and the system tests).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import Koa from 'koa';
import { renderErrors } from '@passerelle/errors';
import { createSignatureVerifier, deriveSigningKey, formatKeyId, signRequest } from '@passerelle/signatures';
import { openStore, type Store } from '@passerelle/store';
import type { ClientPolicy, SignaturePolicy } from '../src/index.ts';
import type { GuardState } from '../src/principal.ts';
import { verifySignature } from '../src/steps/verify-signature.ts';

const masterKey = randomBytes(32);
const clientId = 'ck_test';
const credentials = { keyId: formatKeyId(clientId, 1), signingKey: deriveSigningKey(masterKey, clientId, 1) };
let store: Store;
let base = '';
let server: ReturnType<Koa['listen']>;
const refused: string[] = [];

before(async () => {
  store = await openStore({ kind: 'memory' });
  const app = new Koa<GuardState>();
  app.use(renderErrors({ realm: 'test' }));
  app.use(async (ctx, next) => {
    // The policy under test comes in a header; `x-raw-body: no` plays a body reader that is not mounted.
    ctx.state.client = { clientId, signaturePolicy: ctx.get('x-policy') as SignaturePolicy, signingKeyVersion: 1 } as ClientPolicy;
    if (ctx.get('x-raw-body') !== 'no' && ctx.get('content-length')) {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.state.rawBody = Buffer.concat(chunks);
    }
    await next();
  });
  app.use(verifySignature({
    verify: createSignatureVerifier({ masterKey, replayCache: store.kv }),
    onRefused: (reason) => refused.push(reason),
  }));
  app.use((ctx) => { ctx.body = { ok: true }; });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await store.close();
});

// fetch cannot send custom methods such as PROPFIND; node:http can.
function send(method: string, policy: SignaturePolicy, headers: Record<string, string> = {}, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/things?n=${Math.random()}`, { method, headers: { 'x-policy': policy, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

test("'writes' lets safe methods through unsigned and holds every other method, custom ones included", async () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS']) assert.equal(await send(method, 'writes'), 200, method);
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) assert.equal(await send(method, 'writes'), 401, method);
});

test("'all' holds GET; 'off' lets a write through", async () => {
  assert.equal(await send('GET', 'all'), 401);
  assert.equal(await send('POST', 'off'), 200);
});

test('a signed write over its exact body bytes passes', async () => {
  const body = '{"a":1}';
  const path = '/v1/things?x=1';
  const signature = signRequest({ method: 'POST', target: path, body }, credentials);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { 'x-policy': 'writes', 'x-signature': signature, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(status, 200);
});

test('a body nobody read cannot be verified: the step fails closed with a 500, not a pass', async () => {
  const body = '{"a":1}';
  const signature = signRequest({ method: 'POST', target: '/v1/things', body: '' }, credentials);
  assert.equal(await send('POST', 'writes', { 'x-raw-body': 'no', 'x-signature': signature, 'content-length': String(body.length) }, body), 500);
});

test('every refusal reaches the security log hook with its reason', async () => {
  refused.length = 0;
  await send('POST', 'writes');
  await send('POST', 'writes', { 'x-signature': 'keyId=nonsense' });
  assert.deepEqual(refused, ['missing', 'malformed']);
});
