// Per-client, per-UTC-day usage counters (issue 7's "Usage" page): requests
// the rate limiter saw, and the ones it refused. They are rate-limiter-flexible
// counters on the shared store, like the limits themselves, so that:
// - the rate-limit step consumes the requests counter in the same tick as its
//   own limiters: on Redis, the connection's auto-pipelining sends them in one
//   write, and an accepted request costs no extra round trip;
// - a refused request adds one write to count the refusal, which only slows a
//   client already over its limit;
// - while Redis is down, counting falls back to process memory with the
//   limits (the insurance limiters), so the page undercounts, never fails;
// - each day's counter expires RETENTION_DAYS after its first request, enough
//   for "this week" on any day of the week.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Store } from '@passerelle/store';
import { utcDate } from './days.ts';

export const RETENTION_DAYS = 8;
/** The counters never refuse: they only count. */
const CEILING = 2_000_000_000;

export interface UsageCounters {
  /** Counts one request of the client, today (UTC). Start it in the same tick as the rate limiters. */
  countRequest(clientId: string, now: number): Promise<void>;
  /** Counts one request refused by the rate limits (rate or quota). */
  countRejection(clientId: string, now: number): Promise<void>;
}

export interface UsageLimiters {
  requests: RateLimiterAbstract;
  rejected: RateLimiterAbstract;
}

export function usageLimiters(store: Pick<Store, 'limiter'>): UsageLimiters {
  const counter = (name: string) => store.limiter({ keyPrefix: `usage:${name}`, points: CEILING, duration: RETENTION_DAYS * 86_400 });
  return { requests: counter('requests'), rejected: counter('rejected') };
}

export const dayKey = (clientId: string, date: string) => `${clientId}:${date}`;

export function createUsageCounters(store: Pick<Store, 'limiter'>): UsageCounters {
  const { requests, rejected } = usageLimiters(store);
  return {
    async countRequest(clientId, now) {
      await requests.consume(dayKey(clientId, utcDate(now)));
    },
    async countRejection(clientId, now) {
      await rejected.consume(dayKey(clientId, utcDate(now)));
    },
  };
}
