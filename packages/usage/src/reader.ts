// Reads what the usage counters hold, for the partner portal's "Usage" page
// and the admin: per client, requests and rate-limit rejections today, this
// ISO week and on each of the last 7 UTC days, and what is left of today's
// quota. One call reads every client's counters in one tick (on Redis, one
// auto-pipelined round trip however many clients are asked).
import type { Store } from '@passerelle/store';
import { dayKey, usageLimiters } from './counters.ts';
import { lastDays, nextMidnight, weekStart } from './days.ts';

export type RateTier = 'basic' | 'standard' | 'premium';

/** What the reader needs of a client (a registry ClientView has it). */
export interface UsageSubject {
  clientId: string;
  rateTier: RateTier;
  /** The client's own daily quota; null = its tier's. */
  dailyQuota: number | null;
}

export interface Counts {
  requests: number;
  rejected: number;
}

export interface DayUsage extends Counts {
  /** ISO date (UTC). */
  date: string;
}

export interface ClientUsage {
  clientId: string;
  today: Counts;
  /** Since Monday 00:00 UTC. */
  thisWeek: Counts;
  /** The last 7 UTC days, oldest first, today last. */
  days: DayUsage[];
  /** Requests allowed per UTC day. */
  dailyQuota: number;
  /** Requests left today (never below 0). */
  quotaLeft: number;
  quotaRenewsAt: Date;
}

export type UsageReader = (clients: readonly UsageSubject[], now?: number) => Promise<ClientUsage[]>;

/** `tiers`: each tier's daily quota, as the API is configured (RATE_LIMIT_TIERS). */
export function createUsageReader(store: Pick<Store, 'limiter'>, tiers: Readonly<Record<RateTier, { dailyQuota: number }>>): UsageReader {
  const { requests, rejected } = usageLimiters(store);
  const count = async (limiter: typeof requests, key: string) => (await limiter.get(key))?.consumedPoints ?? 0;

  return async function usageFor(clients, now = Date.now()) {
    const dates = lastDays(now, 7);
    const monday = weekStart(now);
    return Promise.all(clients.map(async ({ clientId, rateTier, dailyQuota }) => {
      const days: DayUsage[] = await Promise.all(dates.map(async (date) => {
        const [r, x] = await Promise.all([count(requests, dayKey(clientId, date)), count(rejected, dayKey(clientId, date))]);
        return { date, requests: r, rejected: x };
      }));
      const today = days.at(-1)!;
      const week = days.filter((d) => d.date >= monday);
      const quota = dailyQuota ?? tiers[rateTier].dailyQuota;
      return {
        clientId,
        today: { requests: today.requests, rejected: today.rejected },
        thisWeek: { requests: week.reduce((n, d) => n + d.requests, 0), rejected: week.reduce((n, d) => n + d.rejected, 0) },
        days,
        dailyQuota: quota,
        quotaLeft: Math.max(0, quota - today.requests),
        quotaRenewsAt: nextMidnight(now),
      };
    }));
  };
}
