// The rate tiers: the limits behind `basic`, `standard` and `premium`. Read by
// the API (which enforces them) and by whatever shows a client's quota (the
// partner portal's Usage page), so both parse the same variable the same way.
import { z } from 'zod';

// A tier: the sustained rate, the burst a client may spend in any one second
// (>= perSecond; default 2x), and the requests it may make per UTC day
// (default: the sustained rate all day, i.e. no quota tighter than the rate).
const tier = z.strictObject({
  perSecond: z.number().int().min(1).max(100_000),
  burst: z.number().int().min(1).max(1_000_000).optional(),
  dailyQuota: z.number().int().min(1).max(100_000_000).optional(),
}).refine((t) => t.burst === undefined || t.burst >= t.perSecond, { message: 'burst must be >= perSecond', path: ['burst'] })
  .transform((t) => ({
    perSecond: t.perSecond,
    burst: t.burst ?? 2 * t.perSecond,
    dailyQuota: t.dailyQuota ?? Math.min(100_000_000, t.perSecond * 86_400),
  }));

export const defaultRateTiers = {
  basic: { perSecond: 5, burst: 10, dailyQuota: 10_000 },
  standard: { perSecond: 50, burst: 100, dailyQuota: 1_000_000 },
  premium: { perSecond: 500, burst: 1_000, dailyQuota: 10_000_000 },
};

export const rateTiersEnv = {
  RATE_LIMIT_TIERS: z.string().transform((v, ctx) => {
    try { return JSON.parse(v) as unknown; } catch { ctx.addIssue({ code: 'custom', message: 'expected JSON' }); return z.NEVER; }
  }).pipe(z.strictObject({ basic: tier, standard: tier, premium: tier })).default(defaultRateTiers)
    .describe('JSON: the limits of each rate tier: sustained requests per second, the burst allowed in any one second (default 2× `perSecond`) and requests per UTC day (a client\'s own `dailyQuota` overrides it). Default `{"basic":{"perSecond":5,"burst":10,"dailyQuota":10000},"standard":{"perSecond":50,"burst":100,"dailyQuota":1000000},"premium":{"perSecond":500,"burst":1000,"dailyQuota":10000000}}`.'),
} as const;

export type RateTierLimits = z.output<typeof tier>;
