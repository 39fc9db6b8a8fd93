// Each client's limits, from its rate tier (and its own daily quota, when an
// admin set one), enforced on the shared store with rate-limiter-flexible:
// - burst: at most `burst` requests in a one-second window;
// - sustained: at most `perSecond` × 10 in a ten-second window, so a client may
//   spend its burst but its average stays at `perSecond`;
// - daily: at most `dailyQuota` requests per UTC day (the anti-farming quota).
// The three counters are consumed together, in one tick, with the client's
// usage counter for the day (@passerelle/usage): on Redis they leave in one
// auto-pipelined write, so a decision costs one round trip. Every request
// that reaches this step counts, refused ones included: a client that ignores
// Retry-After spends its quota. A refusal is counted too (one more write, paid
// only by a client already over its limit). Responses advertise the policies with the
// IETF RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers).
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Problem } from '@passerelle/errors';
import type { Store } from '@passerelle/store';
import { createUsageCounters } from '@passerelle/usage';
import type { ClientPolicy, RateTier } from './client-policy.ts';
import type { RateDecisionHeaders } from './rate-limit.ts';

export interface TierLimits {
  perSecond: number;
  burst: number;
  dailyQuota: number;
}

export interface ClientLimits {
  /** Counts one request of `client`; returns the headers to send, or throws a 429 Problem carrying them. */
  consume(client: Pick<ClientPolicy, 'clientId' | 'rateTier' | 'dailyQuota'>): Promise<RateDecisionHeaders>;
}

const SUSTAINED_WINDOW = 10;
const DAY_SECONDS = 86_400;
/** The daily counter never refuses by itself: each client's quota is compared here. */
const DAILY_CEILING = 2_000_000_000;

interface Counted {
  name: 'burst' | 'sustained' | 'daily';
  quota: number;
  window: number;
  res: RateLimiterRes;
  refused: boolean;
}

async function count(
  limiter: RateLimiterAbstract, key: string, options?: { customDuration: number },
): Promise<{ res: RateLimiterRes; refused: boolean }> {
  try {
    return { res: await limiter.consume(key, 1, options), refused: false };
  } catch (err) {
    // Not a decision: the store and its insurance limiter both failed.
    if (!(err instanceof RateLimiterRes)) throw new Problem('service_unavailable', { cause: err });
    return { res: err, refused: true };
  }
}

function utcDay(now: number): { day: string; secondsLeft: number } {
  const date = new Date(now);
  const nextMidnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return { day: date.toISOString().slice(0, 10), secondsLeft: Math.max(1, Math.ceil((nextMidnight - now) / 1000)) };
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

function headersOf(counted: readonly Counted[]): RateDecisionHeaders {
  return {
    'RateLimit-Policy': counted.map((c) => `"${c.name}";q=${c.quota};w=${c.window}`).join(', '),
    'RateLimit': counted
      .map((c) => `"${c.name}";r=${Math.max(0, c.quota - c.res.consumedPoints)};t=${seconds(c.res.msBeforeNext)}`)
      .join(', '),
  };
}

export function createClientLimits(
  store: Pick<Store, 'limiter'>,
  tiers: Readonly<Record<RateTier, TierLimits>>,
  now: () => number = Date.now,
): ClientLimits {
  const perTier = (tier: RateTier) => ({
    burst: store.limiter({ keyPrefix: `rl:burst:${tier}`, points: tiers[tier].burst, duration: 1 }),
    sustained: store.limiter({
      keyPrefix: `rl:sustained:${tier}`, points: tiers[tier].perSecond * SUSTAINED_WINDOW, duration: SUSTAINED_WINDOW,
    }),
  });
  // Per tier, so that a client moved to another tier starts on that tier's counters.
  const windows = { basic: perTier('basic'), standard: perTier('standard'), premium: perTier('premium') };
  // One counter per client and UTC day, kept across tier changes.
  const daily = store.limiter({ keyPrefix: 'rl:daily', points: DAILY_CEILING, duration: DAY_SECONDS });
  const usage = createUsageCounters(store);

  return {
    async consume({ clientId, rateTier, dailyQuota }) {
      const tier = tiers[rateTier];
      const at = now();
      const { day, secondsLeft } = utcDay(at);
      const [burst, sustained, today] = await Promise.all([
        count(windows[rateTier].burst, clientId),
        count(windows[rateTier].sustained, clientId),
        count(daily, `${clientId}:${day}`, { customDuration: secondsLeft }),
        usage.countRequest(clientId, at).catch(() => undefined), // usage is for display: never a reason to fail a request
      ]);
      const quota = dailyQuota ?? tier.dailyQuota;
      const counted: Counted[] = [
        { name: 'burst', quota: tier.burst, window: 1, ...burst },
        { name: 'sustained', quota: tier.perSecond * SUSTAINED_WINDOW, window: SUSTAINED_WINDOW, ...sustained },
        { name: 'daily', quota, window: DAY_SECONDS, res: today.res, refused: today.res.consumedPoints > quota },
      ];
      const headers = headersOf(counted);
      const refused = counted.filter((c) => c.refused);
      if (refused.length === 0) return headers;
      await usage.countRejection(clientId, at).catch(() => undefined);
      const retryAfter = String(Math.max(1, ...refused.map((c) => seconds(c.res.msBeforeNext))));
      const quotaSpent = refused.some((c) => c.name === 'daily');
      throw new Problem(quotaSpent ? 'quota_exceeded' : 'rate_limited', {
        detail: quotaSpent
          ? `The daily quota of ${quota} requests is spent; it renews at midnight UTC.`
          : 'Too many requests for this client\'s rate limit.',
        headers: { ...headers, 'Retry-After': retryAfter },
      });
    },
  };
}
