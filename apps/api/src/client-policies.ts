// The guard's view of clients, read from the database and kept in process for a
// few seconds so that a request costs no query. Any change to a client (revoked,
// edited, its partner disabled) drops its entry as soon as the revocation mirror
// hears of it (see @passerelle/revocation's client cache), so a change an admin
// makes is seen on the next request; CACHE_MS only bounds a lost broadcast.
import type { PrismaClient } from '@passerelle/db';
import type { ClientPolicy, ClientPolicyLookup } from '@passerelle/guard';
import { createClientCache, type RevocationMirror } from '@passerelle/revocation';

const CACHE_MS = 5_000;

export function createClientPolicies(
  prisma: PrismaClient,
  revocation: Pick<RevocationMirror, 'onClientChange'>,
): ClientPolicyLookup {
  const policies = createClientCache(revocation, async (clientId): Promise<ClientPolicy | undefined> => {
    const row = await prisma.client.findUnique({
      where: { clientId },
      include: { partner: { select: { status: true } } },
    });
    return row ? {
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
  }, { ttlMs: CACHE_MS });

  return (clientId) => policies.get(clientId);
}
