// The guard's view of clients, read from the database and kept in process for a
// few seconds so that a request costs no query. A revocation of a client
// (disable, delete, secret rotation) drops its entry at once, so a change an
// admin makes is seen on the next request; other edits apply within CACHE_MS.
import type { PrismaClient } from '@passerelle/db';
import type { ClientPolicy, ClientPolicyLookup } from '@passerelle/guard';
import type { RevocationMirror } from '@passerelle/revocation';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export function createClientPolicies(
  prisma: PrismaClient,
  revocation: Pick<RevocationMirror, 'onRevocation'>,
): ClientPolicyLookup {
  const cache = new Map<string, { policy: ClientPolicy | undefined; until: number }>();
  revocation.onRevocation((r) => {
    if (r.kind === 'client') cache.delete(r.id);
  });

  return async function clientPolicy(clientId) {
    const cached = cache.get(clientId);
    if (cached && cached.until > Date.now()) return cached.policy;
    const row = await prisma.client.findUnique({
      where: { clientId },
      include: { partner: { select: { status: true } } },
    });
    const policy: ClientPolicy | undefined = row ? {
      clientId: row.clientId,
      partnerId: row.partnerId,
      active: row.status === 'active' && row.partner.status === 'active',
      rateTier: row.rateTier,
      dailyQuota: row.dailyQuota,
      basicAuthFallback: row.basicAuthFallback,
      signaturePolicy: row.signaturePolicy,
      signingKeyVersion: row.signingKeyVersion,
      ipAllowlist: row.ipAllowlist,
    } : undefined;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(clientId, { policy, until: Date.now() + CACHE_MS });
    return policy;
  };
}
