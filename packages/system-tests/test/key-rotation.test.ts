// Signing-key rotation under continuous load: partners keep obtaining fresh
// tokens and calling the API through the whole window (stage → activate → old
// key retired), and not one request fails. Delays are configured short; the
// ordering they guarantee is the one production relies on: the new key is
// published before it signs, the old one stays published until its tokens have
// expired, and neither the auth service nor the API restarts. Two auth
// instances share the database and both take token requests: they switch keys
// on their own refresh ticks, as separate processes would.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { SignJWT, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { createAuthService, loadAuthConfig, type AuthService } from '@passerelle/auth';
import { loadKeyring, stageSigningKey } from '@passerelle/keys';
import { createLogger } from '@passerelle/log';
import { basic, callApi, registerClient, startStack, type Stack, type TestClient } from '../src/index.ts';

const TTL = 3;
const ACTIVATION_DELAY = 3;

let stack: Stack;
let client: TestClient;
let secondAuth: { service: AuthService; server: Server; url: string };

before(async () => {
  stack = await startStack({
    env: {
      ACCESS_TOKEN_TTL: String(TTL),
      KEY_REFRESH_INTERVAL: '1',
      KEY_RETIREMENT_MARGIN: '1',
      KEY_ACTIVATION_DELAY: String(ACTIVATION_DELAY),
      JWKS_CACHE_MAX_AGE: '1',
      TOKEN_CLOCK_TOLERANCE: '1',
      RATE_LIMIT_TIERS: JSON.stringify({ basic: { perSecond: 5 }, standard: { perSecond: 100_000 }, premium: { perSecond: 100_000 } }),
    },
  });
  client = await registerClient(stack, ['partner:read']);
  const service = await createAuthService({
    config: loadAuthConfig(stack.env), db: stack.db, store: stack.store, log: createLogger({ name: 'auth-2', level: 'silent' }),
  });
  const server = createServer(service.callback);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  secondAuth = { service, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
after(async () => {
  secondAuth.server.closeAllConnections();
  await new Promise((resolve) => secondAuth.server.close(resolve));
  await secondAuth.service.close();
  await stack.close();
});

interface Outcome { kid: string | undefined; issuedAt: number; token: number; api: number | undefined; error?: string }

function tokenFrom(authUrl: string): Promise<Response> {
  return fetch(`${authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read' }),
  });
}

const kek = () => Buffer.from(stack.env['SIGNING_KEY_ENCRYPTION_KEY']!, 'base64url');

async function partnerLoop(outcomes: Outcome[], running: () => boolean, holdMs: number): Promise<void> {
  for (let i = 0; running(); i += 1) {
    const issuedAt = Date.now();
    try {
      const res = await tokenFrom(i % 2 === 0 ? stack.authUrl : secondAuth.url);
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token) {
        outcomes.push({ kid: undefined, issuedAt, token: res.status, api: undefined });
        continue;
      }
      const { kid } = decodeProtectedHeader(body.access_token);
      // Some partners sit on a token a while: tokens of the old key reach the API after the switch.
      if (holdMs) await sleep(Math.random() * holdMs);
      const api = await callApi(stack, '/v1/partners/me', body.access_token);
      await api.arrayBuffer();
      outcomes.push({ kid, issuedAt, token: res.status, api: api.status });
    } catch (err) {
      outcomes.push({ kid: undefined, issuedAt, token: 0, api: undefined, error: String(err) });
    }
  }
}

async function jwksWatcher(seen: Map<string, { first: number; last: number }>, running: () => boolean): Promise<void> {
  while (running()) {
    const { keys } = (await (await fetch(`${stack.authUrl}/jwks`)).json()) as { keys: JWK[] };
    const now = Date.now();
    for (const { kid } of keys) {
      const entry = seen.get(kid!) ?? { first: now, last: now };
      entry.last = now;
      seen.set(kid!, entry);
    }
    await sleep(100);
  }
}

test('a rotation under continuous load fails no request, publishes before signing and retires after expiry', async () => {
  const before = await loadKeyring(stack.db.prisma, kek());
  const oldKid = before.signingKid;
  const oldKey = before.privateJwks.keys[0]!;

  let go = true;
  const running = () => go;
  const outcomes: Outcome[] = [];
  const published = new Map<string, { first: number; last: number }>();
  const load = [
    ...Array.from({ length: 3 }, () => partnerLoop(outcomes, running, 0)),
    partnerLoop(outcomes, running, 1500),
    jwksWatcher(published, running),
  ];

  const until = async (condition: () => boolean) => { while (!condition()) await sleep(100); };
  await until(() => outcomes.length >= 10);
  const stagedAt = Date.now();
  const staged = await stageSigningKey(stack.db.prisma, kek(), { type: 'system', id: 'test' }, new Date(stagedAt + ACTIVATION_DELAY * 1000));
  const newKid = staged.kid;

  // Until the old key has retired, and a moment beyond, under load all along.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await stack.db.prisma.signingKey.findUniqueOrThrow({ where: { kid: oldKid } });
    if (row.status === 'retired' && published.get(oldKid)!.last < Date.now() - 1500) break;
    assert.ok(Date.now() < deadline, 'the old key never retired');
    await sleep(250);
  }
  await until(() => outcomes.filter((o) => o.kid === newKid).length >= 10);
  go = false;
  await Promise.all(load);

  const failures = outcomes.filter((o) => o.token !== 200 || o.api !== 200);
  assert.deepEqual(failures, [], `${failures.length} of ${outcomes.length} requests failed`);
  const byOld = outcomes.filter((o) => o.kid === oldKid);
  const byNew = outcomes.filter((o) => o.kid === newKid);
  assert.ok(byOld.length >= 10 && byNew.length >= 10, `both keys signed under load (old ${byOld.length}, new ${byNew.length})`);
  assert.equal(byOld.length + byNew.length, outcomes.length);

  // Published before it signed anything; signing switched once, not before the scheduled time.
  const firstNew = Math.min(...byNew.map((o) => o.issuedAt));
  assert.ok(published.get(newKid)!.first < firstNew, 'the new key was in the JWKS before the first token it signed');
  assert.ok(firstNew >= stagedAt + (ACTIVATION_DELAY - 1) * 1000, 'the new key did not sign before its activation time');
  // Each instance switches on its own refresh tick (KEY_REFRESH_INTERVAL = 1 s), then for good.
  assert.ok(byOld.every((o) => o.issuedAt < firstNew + 1500), 'the old key stopped signing once the instances switched');

  // The old key stayed published until its last token had expired, then left the JWKS.
  const lastOldIssued = Math.max(...byOld.map((o) => o.issuedAt));
  assert.ok(published.get(oldKid)!.last >= lastOldIssued + TTL * 1000 - 1000, 'the old key was published as long as its tokens lived');
  for (const authUrl of [stack.authUrl, secondAuth.url]) {
    const jwks = (await (await fetch(`${authUrl}/jwks`)).json()) as { keys: JWK[] };
    assert.deepEqual(jwks.keys.map((k) => k.kid), [newKid], authUrl);
  }

  // Retired means untrusted: a fresh token signed with the old key is refused by the API.
  await sleep(1100); // the API's JWKS copy (max age 1 s) has moved on
  const now = Math.floor(Date.now() / 1000);
  const forged = await new SignJWT({ client_id: client.clientId, scope: 'partner:read', jti: `late-${now}` })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: oldKid })
    .setIssuer(stack.authUrl).setAudience(stack.apiUrl).setSubject(client.clientId).setIssuedAt(now).setExpirationTime(now + 60)
    .sign(await importJWK(oldKey, 'ES256'));
  assert.equal((await callApi(stack, '/v1/partners/me', forged)).status, 401);

  // Every step is in the audit trail.
  const actions = (await stack.db.prisma.auditEvent.findMany({ where: { targetType: 'signing_key' }, orderBy: { at: 'asc' } }))
    .map((e) => `${e.action}:${e.targetId === newKid ? 'new' : 'old'}`);
  assert.deepEqual(actions, ['signing_key.stage:new', 'signing_key.activate:new', 'signing_key.supersede:old', 'signing_key.retire:old']);
});
