// Picks each client's rate limiter from its tier. The tier is read from the
// database and kept for a few seconds, so a tier change applies within that
// time without putting a database query on every request.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { PrismaClient, RateTier } from '@passerelle/db';
import type { Store } from '@passerelle/store';
import type { ApiConfig } from './config.ts';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export function createClientLimits(prisma: PrismaClient, store: Store, tiers: ApiConfig['rateTiers']) {
  const limiters: Record<RateTier, RateLimiterAbstract> = {
    basic: store.limiter({ keyPrefix: 'rl:client:basic', points: tiers.basic.perSecond, duration: 1 }),
    standard: store.limiter({ keyPrefix: 'rl:client:standard', points: tiers.standard.perSecond, duration: 1 }),
    premium: store.limiter({ keyPrefix: 'rl:client:premium', points: tiers.premium.perSecond, duration: 1 }),
  };
  const tierCache = new Map<string, { tier: RateTier; until: number }>();

  return async function limiterFor(clientId: string): Promise<RateLimiterAbstract> {
    const cached = tierCache.get(clientId);
    if (cached && cached.until > Date.now()) return limiters[cached.tier];
    const client = await prisma.client.findUnique({ where: { clientId }, select: { rateTier: true } });
    // An unknown client still gets the strictest limit; its token is refused elsewhere if need be.
    const tier = client?.rateTier ?? 'basic';
    if (tierCache.size >= CACHE_MAX) tierCache.clear();
    tierCache.set(clientId, { tier, until: Date.now() + CACHE_MS });
    return limiters[tier];
  };
}
