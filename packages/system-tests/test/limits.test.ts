// Limits and quotas through the real services: each client's burst, sustained
// rate and daily quota from its tier (or its own quota), the IETF RateLimit
// fields on every answer, 429 + Retry-After with distinct codes for the rate
// and the quota, tier changes taking effect, and the per-process insurance
// limiter taking over (logged once) while the API's Redis is away.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTcpProxy, type TcpProxy } from '@passerelle/store/testing/tcp-proxy';
import { callApi, getToken, registerClient, startStack, type Stack } from '../src/index.ts';

const tiers = {
  basic: { perSecond: 2, burst: 4, dailyQuota: 1_000 },
  standard: { perSecond: 1_000, burst: 2_000, dailyQuota: 1_000_000 },
  premium: { perSecond: 5_000, burst: 10_000, dailyQuota: 5_000_000 },
};

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function parseList(field: string | null): Map<string, Record<string, number>> {
  const items = new Map<string, Record<string, number>>();
  for (const item of (field ?? '').split(',')) {
    const [name, ...params] = item.trim().split(';');
    items.set(JSON.parse(name!) as string, Object.fromEntries(params.map((p) => {
      const [k, v] = p.split('=');
      return [k!, Number(v)];
    })));
  }
  return items;
}

let stack: Stack;
let proxy: TcpProxy | undefined;

before(async () => {
  const redisUrl = process.env['REDIS_URL'];
  proxy = redisUrl ? await startTcpProxy(redisUrl) : undefined;
  stack = await startStack({ env: { RATE_LIMIT_TIERS: JSON.stringify(tiers) }, apiRedisUrl: proxy?.url });
});
after(async () => {
  await stack.close();
  await proxy?.close();
});

describe('per-client rate limit with burst', () => {
  test('a burst above the tier is refused with 429, Retry-After and the RateLimit fields', async () => {
    const client = await registerClient(stack, ['partner:read'], { rateTier: 'basic' });
    const token = await getToken(stack, client, 'partner:read');
    const responses = await Promise.all(Array.from({ length: 12 }, () => callApi(stack, '/v1/partners/me', token)));
    const statuses = responses.map((r) => r.status);
    // 4 per one-second window; a burst that straddles a window edge may get 8.
    assert.ok(statuses.filter((s) => s === 200).length <= 8, `the burst is bounded: ${statuses}`);
    const refused = responses.filter((r) => r.status === 429);
    assert.ok(refused.length >= 4, `the rest are refused: ${statuses}`);

    const ok = responses.find((r) => r.status === 200)!;
    const policy = parseList(ok.headers.get('ratelimit-policy'));
    assert.deepEqual(policy.get('burst'), { q: 4, w: 1 });
    assert.deepEqual(policy.get('sustained'), { q: 20, w: 10 });
    assert.deepEqual(policy.get('daily'), { q: 1_000, w: 86_400 });
    for (const res of refused) {
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(((await res.json()) as { code: string }).code, 'rate_limited');
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      const remaining = parseList(res.headers.get('ratelimit'));
      assert.equal(remaining.get('burst')?.r, 0, 'the refused window shows nothing left');
      assert.ok(res.headers.get('ratelimit-policy'), 'the policy is advertised on refusals too');
    }
  });

  test('the sustained rate holds even when each second stays under the burst', async () => {
    const client = await registerClient(stack, ['partner:read'], { rateTier: 'basic' });
    const token = await getToken(stack, client, 'partner:read');
    // 20 per ten seconds: spending the burst every second runs out within the window.
    const statuses: number[] = [];
    for (let i = 0; i < 8 && !statuses.includes(429); i += 1) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => callApi(stack, '/v1/partners/me', token)));
      statuses.push(...batch.map((r) => r.status));
      await sleep(1_000);
    }
    assert.ok(statuses.includes(429), `the sustained window refuses: ${statuses}`);
  });
});

describe('daily quota', () => {
  test('a client\'s own quota is enforced per UTC day with quota_exceeded and a Retry-After to midnight', async () => {
    const client = await registerClient(stack, ['partner:read'], { rateTier: 'standard', dailyQuota: 3 });
    const token = await getToken(stack, client, 'partner:read');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i += 1) {
      last = await callApi(stack, '/v1/partners/me', token);
      statuses.push(last.status);
      if (last.status === 200) assert.equal(parseList(last.headers.get('ratelimit')).get('daily')?.r, 2 - i);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(((await last!.json()) as { code: string }).code, 'quota_exceeded');
    const now = new Date();
    const toMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
    const retryAfter = Number(last!.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= Math.ceil(toMidnight) + 1, `Retry-After ${retryAfter} points at midnight UTC (${toMidnight} s)`);
    assert.deepEqual(parseList(last!.headers.get('ratelimit-policy')).get('daily'), { q: 3, w: 86_400 });
    assert.equal(parseList(last!.headers.get('ratelimit')).get('daily')?.r, 0);
  });

  test('another client is unaffected by a spent quota', async () => {
    const spent = await registerClient(stack, ['partner:read'], { rateTier: 'standard', dailyQuota: 1 });
    const fresh = await registerClient(stack, ['partner:read'], { rateTier: 'standard' });
    const spentToken = await getToken(stack, spent, 'partner:read');
    await callApi(stack, '/v1/partners/me', spentToken);
    assert.equal((await callApi(stack, '/v1/partners/me', spentToken)).status, 429);
    const res = await callApi(stack, '/v1/partners/me', await getToken(stack, fresh, 'partner:read'));
    assert.equal(res.status, 200);
    assert.deepEqual(parseList(res.headers.get('ratelimit-policy')).get('daily'), { q: 1_000_000, w: 86_400 });
  });
});

describe('tier changes', () => {
  test('a client moved to another tier is limited by the new tier', async () => {
    const client = await registerClient(stack, ['partner:read'], { rateTier: 'basic' });
    const token = await getToken(stack, client, 'partner:read');
    const before = await callApi(stack, '/v1/partners/me', token);
    assert.deepEqual(parseList(before.headers.get('ratelimit-policy')).get('burst'), { q: 4, w: 1 });

    await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { rateTier: 'premium' } });
    // The API caches a client's policy for a few seconds.
    await waitFor(async () => {
      const res = await callApi(stack, '/v1/partners/me', token);
      return parseList(res.headers.get('ratelimit-policy')).get('burst')?.q === 10_000;
    }, 'the premium tier to apply');
    const burst = await Promise.all(Array.from({ length: 12 }, () => callApi(stack, '/v1/partners/me', token)));
    assert.deepEqual(burst.map((r) => r.status), Array(12).fill(200), 'the basic tier\'s burst no longer applies');
  });
});

describe('when the API loses Redis', { skip: process.env['REDIS_URL'] ? false : 'REDIS_URL unset' }, () => {
  test('limits fall back to the per-process insurance limiter, logged once per outage', async () => {
    const client = await registerClient(stack, ['partner:read'], { rateTier: 'basic' });
    const token = await getToken(stack, client, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
    await sleep(1_100); // a fresh one-second window

    const fallbackLogs = () => stack.logs.filter((l) => l['event'] === 'rate_limit.fallback');
    const logsBefore = fallbackLogs().length;
    proxy!.cut();
    try {
      // The revocation mirror tolerates a short outage (it fails closed only
      // after its staleness bound), so requests are answered from here on by
      // the insurance limiter: it still limits, per process.
      const responses = await Promise.all(Array.from({ length: 12 }, () => callApi(stack, '/v1/partners/me', token)));
      const statuses = responses.map((r) => r.status);
      assert.ok(statuses.includes(200), `requests are still served: ${statuses}`);
      assert.ok(statuses.filter((s) => s === 429).length >= 4, `and still limited: ${statuses}`);
      assert.ok(!statuses.includes(503), `no request fails for want of Redis: ${statuses}`);
      await callApi(stack, '/v1/partners/me', token);

      const logged = fallbackLogs().slice(logsBefore);
      assert.equal(logged.length, 1, 'one warning for the outage, not one per request');
      assert.equal(logged[0]!['level'], 'warn', 'logged at warn');
    } finally {
      proxy!.restore();
    }
    await waitFor(async () => {
      await callApi(stack, '/v1/partners/me', token);
      return stack.logs.some((l) => l['event'] === 'rate_limit.shared');
    }, 'limits to be shared again', 15_000);
  });
});
