// The legacy Basic Auth fallback and the limits on failed authentication, end
// to end: who may use Basic, what its responses say, that a wrong key, a wrong
// secret and a disabled fallback look the same, the lockouts per consumer-key
// and per IP, that rotation and disabling take effect on the next request, and
// the security events refusals leave behind.
// Each test calls from its own loopback address (127.0.0.x), so per-IP limits
// in one test do not spill into another.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { generateConsumerSecret, hashSecret } from '@passerelle/registry';
import { createRevocationWriter } from '@passerelle/revocation';
import { basic, getToken, registerClient, startStack, type Stack, type TestClient } from '../src/index.ts';

const PER_KEY = 3;
const PER_IP = 6;
const SUNSET = '2027-06-30T00:00:00Z';

let stack: Stack;
let legacy: TestClient;
let modern: TestClient;
let nextAddress = 10;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A caller with its own source address. */
function caller() {
  const localAddress = `127.0.0.${nextAddress++}`;
  return {
    ip: localAddress,
    get(path: string, authorization?: string): Promise<Reply> {
      return new Promise((resolve, reject) => {
        const url = new URL(path, stack.apiUrl);
        const req = request(url, { localAddress, headers: authorization ? { authorization } : {}, agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => { text += chunk; });
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on('error', reject);
        req.end();
      });
    },
  };
}

function withoutRequestId({ request_id: _, ...body }: Record<string, unknown>) {
  return body;
}

async function eventsFrom(ip: string, atLeast: number) {
  for (let i = 0; i < 100; i += 1) {
    const rows = await stack.db.prisma.auditEvent.findMany({ where: { ip }, orderBy: { at: 'asc' } });
    if (rows.length >= atLeast) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${atLeast} security events from ${ip}`);
}

before(async () => {
  stack = await startStack({
    env: {
      BASIC_FAILURES_PER_KEY: String(PER_KEY),
      AUTH_FAILURES_PER_IP: String(PER_IP),
      AUTH_LOCKOUT: '600',
      BASIC_AUTH_SUNSET: SUNSET,
      BASIC_AUTH_MIGRATION_URL: 'https://docs.example.com/migrate',
    },
  });
  legacy = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
  modern = await registerClient(stack, ['partner:read']);
});
after(() => stack.close());

describe('the Basic fallback', () => {
  test('a client whose record allows it reads its partner with consumer-key:consumer-secret', async () => {
    const you = caller();
    const res = await you.get('/v1/partners/me', basic(legacy.clientId, legacy.clientSecret));
    assert.equal(res.status, 200);
    assert.equal(res.body['id'], legacy.partnerId);
    const bearer = await you.get('/v1/partners/me', `Bearer ${await getToken(stack, legacy, 'partner:read')}`);
    assert.ok(res.headers['ratelimit-policy']);
    assert.equal(res.headers['ratelimit-policy'], bearer.headers['ratelimit-policy'], 'the same limits as with a token');
  });

  test('every Basic response, success or error, announces the deprecation, the migration guide and the sunset', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    for (const res of [
      await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret)),
      await you.get('/v1/partners/me', basic(client.clientId, 'cs_wrong')),
    ]) {
      assert.equal(res.headers['deprecation'], `@${Date.parse('2026-11-23T00:00:00Z') / 1000}`);
      assert.equal(res.headers['link'], '<https://docs.example.com/migrate>; rel="deprecation"; type="text/html"');
      assert.equal(res.headers['sunset'], new Date(SUNSET).toUTCString());
    }
    const bearer = await you.get('/v1/partners/me', `Bearer ${await getToken(stack, legacy, 'partner:read')}`);
    assert.equal(bearer.status, 200);
    assert.equal(bearer.headers['deprecation'], undefined, 'bearer responses are not deprecated');
  });

  test('a client without the flag is refused exactly like a wrong secret or an unknown key', async () => {
    const allowed = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    const replies = [
      await you.get('/v1/partners/me', basic(modern.clientId, modern.clientSecret)),
      await you.get('/v1/partners/me', basic(allowed.clientId, generateConsumerSecret())),
      await you.get('/v1/partners/me', basic('ck_nobodyhasthiskey000', allowed.clientSecret)),
      await you.get('/v1/partners/me', `Basic ${Buffer.from('no-colon-here').toString('base64')}`),
    ];
    for (const res of replies) {
      assert.equal(res.status, 401);
      assert.equal(res.body['code'], 'invalid_credentials');
      assert.deepEqual(withoutRequestId(res.body), withoutRequestId(replies[0]!.body));
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="passerelle"');
      assert.equal(res.body['detail'], undefined, 'no hint of which part was wrong');
    }
  });

  test('the secret is checked against its hash: the stored hash itself is not a credential', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const row = await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: client.clientId } });
    const res = await caller().get('/v1/partners/me', basic(client.clientId, row.secretHash));
    assert.equal(res.status, 401);
  });
});

describe('lockouts', () => {
  test(`after ${PER_KEY} failures a consumer-key is locked out, from any address and even with its right secret`, async () => {
    const victim = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const attacker = caller();
    for (let i = 0; i < PER_KEY; i += 1) {
      assert.equal((await attacker.get('/v1/partners/me', basic(victim.clientId, generateConsumerSecret()))).status, 401);
    }
    const wrong = await attacker.get('/v1/partners/me', basic(victim.clientId, generateConsumerSecret()));
    const right = await caller().get('/v1/partners/me', basic(victim.clientId, victim.clientSecret));
    for (const res of [wrong, right]) {
      assert.equal(res.status, 429);
      assert.equal(res.body['code'], 'rate_limited');
      assert.ok(Number(res.headers['retry-after']) > 0, 'Retry-After');
      assert.ok(Number(res.headers['retry-after']) <= 600);
    }
    assert.deepEqual(withoutRequestId(wrong.body), withoutRequestId(right.body), 'the lockout does not say whether the secret was right');
    assertSameHeaders(wrong, right);
  });

  test('an unknown key locks out exactly like a real one, so lockouts do not reveal which keys exist', async () => {
    const unknown = 'ck_doesnotexist00000000';
    const real = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const replies: Reply[][] = [];
    for (const key of [unknown, real.clientId]) {
      const attacker = caller();
      const seen: Reply[] = [];
      for (let i = 0; i <= PER_KEY; i += 1) seen.push(await attacker.get('/v1/partners/me', basic(key, generateConsumerSecret())));
      replies.push(seen);
    }
    assert.deepEqual(replies[0]!.map((r) => r.status), [...Array(PER_KEY).fill(401), 429]);
    assert.deepEqual(replies[1]!.map((r) => r.status), replies[0]!.map((r) => r.status));
  });

  test(`after ${PER_IP} failed Basic attempts an address is locked out, whichever keys it tried`, async () => {
    const attacker = caller();
    for (let i = 0; i < PER_IP; i += 1) {
      const res = await attacker.get('/v1/partners/me', basic(`ck_spray${i}`, generateConsumerSecret()));
      assert.equal(res.status, 401);
    }
    const locked = await attacker.get('/v1/partners/me', basic(legacy.clientId, legacy.clientSecret));
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.ok(locked.headers['deprecation'], 'still a Basic response');
    // the legitimate partner, elsewhere, is unaffected
    assert.equal((await caller().get('/v1/partners/me', basic(legacy.clientId, legacy.clientSecret))).status, 200);
  });

  test('a flood of unauthenticated and bad-token requests from one address is locked out too', async () => {
    const flood = caller();
    const token = await getToken(stack, modern, 'partner:read');
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 3; i += 1) {
      statuses.push((await flood.get('/v1/partners/me', i % 3 === 0 ? undefined : i % 3 === 1 ? 'Bearer not.a.token' : 'Bearer')).status);
    }
    assert.deepEqual(statuses.slice(PER_IP), [429, 429, 429]);
    assert.ok(statuses.slice(0, PER_IP).every((s) => s === 401 || s === 400));
    const locked = await flood.get('/v1/partners/me', `Bearer ${token}`);
    assert.equal(locked.status, 429, 'a locked-out address is refused whatever it sends');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal((await caller().get('/v1/partners/me', `Bearer ${token}`)).status, 200, 'other addresses are unaffected');
  });
});

describe('changes to the client apply on the next request', () => {
  async function revokeClient(clientId: string) {
    await createRevocationWriter(stack.store).revokeClient(clientId);
  }

  test('a rotated secret stops working; the new one works', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200);
    const rotated = generateConsumerSecret();
    await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { secretHash: hashSecret(rotated) } });
    await revokeClient(client.clientId);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 401);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, rotated))).status, 200);
  });

  test('during a rotation grace period the previous secret works until it expires', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    const rotated = generateConsumerSecret();
    const previous = await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: client.clientId } });
    await stack.db.prisma.client.update({
      where: { clientId: client.clientId },
      data: { secretHash: hashSecret(rotated), previousSecretHash: previous.secretHash, previousSecretExpiresAt: new Date(Date.now() + 3_600_000) },
    });
    await revokeClient(client.clientId);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, rotated))).status, 200);
    await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { previousSecretExpiresAt: new Date(Date.now() - 1_000) } });
    await revokeClient(client.clientId);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 401);
  });

  test('the registry\'s rotation: with a grace both secrets work at once; ending the grace stops the old one', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    const admin = { type: 'admin' as const, id: 'test-admin' };
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200, 'the old secret is cached');
    const { consumerSecret } = await stack.registry.rotateSecret(admin, client.clientId, { graceSeconds: 3600 });
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, consumerSecret))).status, 200, 'the new secret works at once');
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200, 'the old one during the grace');
    await stack.registry.endSecretGrace(admin, client.clientId);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 401);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, consumerSecret))).status, 200);
  });

  test('a disabled client stops working, with the same answer as a wrong secret', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200);
    await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { status: 'disabled' } });
    await revokeClient(client.clientId);
    const res = await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret));
    assert.equal(res.status, 401);
    assert.equal(res.body['code'], 'invalid_credentials');
  });

  test('turning the fallback off stops Basic at once', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 200);
    await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { basicAuthFallback: false } });
    await revokeClient(client.clientId);
    assert.equal((await you.get('/v1/partners/me', basic(client.clientId, client.clientSecret))).status, 401);
  });
});

describe('security events', () => {
  test('refused authentications are recorded with reason, credential, client, IP and request id, never the credential', async () => {
    const client = await registerClient(stack, ['partner:read'], { basicAuthFallback: true });
    const you = caller();
    const wrongSecret = generateConsumerSecret();
    const badBasic = await you.get('/v1/partners/me', basic(client.clientId, wrongSecret));
    const badToken = await you.get('/v1/partners/me', 'Bearer not.a.token');
    const rows = await eventsFrom(you.ip, 2);
    assert.equal(rows.length, 2);
    const [basicRow, bearerRow] = [rows.find((r) => r.credential === 'basic')!, rows.find((r) => r.credential === 'bearer')!];
    assert.equal(basicRow.action, 'auth.refused');
    assert.equal(basicRow.outcome, 'failure');
    assert.equal(basicRow.actorId, client.clientId);
    assert.equal(basicRow.partnerId, client.partnerId);
    assert.equal(basicRow.requestId, badBasic.headers['x-request-id']);
    assert.equal((basicRow.diff as Record<string, unknown>)['reason'], 'invalid_credentials');
    assert.equal(bearerRow.actorType, 'anonymous');
    assert.equal(bearerRow.requestId, badToken.headers['x-request-id']);
    assert.equal((bearerRow.diff as Record<string, unknown>)['reason'], 'invalid_token');

    const everything = JSON.stringify(await stack.db.prisma.auditEvent.findMany()) + JSON.stringify(stack.logs);
    for (const secret of [wrongSecret, client.clientSecret, legacy.clientSecret, basic(client.clientId, wrongSecret).slice(6), 'not.a.token']) {
      assert.ok(!everything.includes(secret), 'no credential in the trail or the logs');
    }
  });

  test('a revoked token is recorded against its client', async () => {
    const client = await registerClient(stack, ['partner:read']);
    const token = await getToken(stack, client, 'partner:read');
    await createRevocationWriter(stack.store).revokeClient(client.clientId, Math.floor(Date.now() / 1000));
    const you = caller();
    assert.equal((await you.get('/v1/partners/me', `Bearer ${token}`)).status, 401);
    const [row] = await eventsFrom(you.ip, 1);
    assert.equal(row!.actorId, client.clientId);
    assert.equal(row!.credential, 'bearer');
  });

  test('a lockout is recorded once; the flood against it writes no rows', async () => {
    const attacker = caller();
    for (let i = 0; i < PER_IP; i += 1) await attacker.get('/v1/partners/me', basic(`ck_flood${i}`, generateConsumerSecret()));
    const rows = await eventsFrom(attacker.ip, PER_IP + 1);
    assert.equal(rows.filter((r) => r.action === 'auth.lockout').length, 1);
    for (let i = 0; i < 20; i += 1) assert.equal((await attacker.get('/v1/partners/me', basic(legacy.clientId, 'cs_x'))).status, 429);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await stack.db.prisma.auditEvent.count({ where: { ip: attacker.ip } }), PER_IP + 1);
    assert.ok(stack.logs.some((l) => l['event'] === 'auth.refused' && l['refusedWhileLocked'] === 10), 'the flood is counted in the log');
  });
});

function assertSameHeaders(a: Reply, b: Reply): void {
  const pick = (r: Reply) => Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['date', 'x-request-id', 'retry-after', 'content-length'].includes(k)));
  assert.deepEqual(pick(a), pick(b));
}
