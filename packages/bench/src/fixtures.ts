// What the bench sets up in Passerelle's database: one partner with one order
// and one client (Basic fallback allowed) on a tier high enough that the
// limiter counts but never refuses, so the run measures the cost of the
// decision, not 429s.
import type { PrismaClient } from '@passerelle/db';
import { createRegistry } from '@passerelle/registry';

export const BENCH_SCOPES = ['partner:read', 'orders:read'] as const;

/** Premium is raised to the schema's ceilings for the bench's API process. */
export const BENCH_RATE_TIERS = JSON.stringify({
  basic: { perSecond: 5 },
  standard: { perSecond: 50 },
  premium: { perSecond: 100_000, burst: 1_000_000, dailyQuota: 100_000_000 },
});

export const BENCH_AUDIENCE = 'http://api.bench.invalid';

/**
 * Production refuses an http:// issuer unless a TLS-terminating proxy is
 * declared: the bench runs the services as they run behind Caddy (public https
 * issuer, TRUSTED_PROXIES naming loopback), and the load generator talks to
 * their plain-HTTP listeners as the proxy would.
 */
export const BENCH_ISSUER = 'https://auth.bench.invalid';
export const BENCH_TRUSTED_PROXIES = '127.0.0.1/32';

export interface BenchFixtures {
  clientId: string;
  clientSecret: string;
  partnerId: string;
  orderId: string;
}

export async function seedBenchClient(prisma: PrismaClient): Promise<BenchFixtures> {
  const registry = createRegistry(prisma);
  const actor = { type: 'system' as const, id: 'bench' };
  const slug = `bench-${Date.now().toString(36)}`;
  const partner = await registry.createPartner(actor, { slug, name: 'Bench partner' });
  const { client, consumerSecret } = await registry.createClient(actor, {
    partner: slug, name: 'bench client', scopes: [...BENCH_SCOPES], rateTier: 'premium', basicAuthFallback: true,
  });
  const order = await prisma.order.create({
    data: {
      partnerId: partner.id,
      reference: 'bench-0001',
      currency: 'EUR',
      items: [{ sku: 'SKU-1', name: 'Widget', quantity: 2, unit_price_minor: 1250 }],
      totalMinor: 2500n,
    },
  });
  return { clientId: client.clientId, clientSecret: consumerSecret, partnerId: partner.id, orderId: order.id };
}
