// The Basic fallback's secret check: the client's stored secret hashes, read
// from the database and kept in process for a few seconds (like its policy, in
// ./client-policies.ts), verified by the registry's cached secret verifier. Any
// change to the client (secret rotated, client disabled, deleted or edited)
// drops both its record and its cached verifications as soon as the revocation
// mirror hears of it. A secret that does not match a cached record is still
// checked once more against a fresh read before it is refused, so a rotation
// is never missed for want of a broadcast (and every refusal, known key or not,
// costs the same read and hash).
import type { PrismaClient } from '@passerelle/db';
import type { BasicSecretCheck } from '@passerelle/guard';
import { createSecretVerifier, type StoredSecrets } from '@passerelle/registry';
import { createClientCache, type RevocationMirror } from '@passerelle/revocation';

const CACHE_MS = 5_000;

interface BasicRecord extends StoredSecrets {
  allowedScopes: string[];
}

export function createBasicSecretCheck(
  prisma: PrismaClient,
  revocation: Pick<RevocationMirror, 'onClientChange'>,
): BasicSecretCheck {
  const verifier = createSecretVerifier();
  revocation.onClientChange((clientId) => verifier.forget(clientId));
  const records = createClientCache(revocation, async (consumerKey): Promise<BasicRecord | undefined> => (
    await prisma.client.findUnique({
      where: { clientId: consumerKey },
      select: { secretHash: true, previousSecretHash: true, previousSecretExpiresAt: true, allowedScopes: true },
    }) ?? undefined
  ), { ttlMs: CACHE_MS });

  return async function checkBasicSecret(consumerKey, secret) {
    for (const fresh of [false, true]) {
      const record = await records.get(consumerKey, { fresh });
      if (await verifier.verify(consumerKey, secret, record)) return { allowedScopes: record!.allowedScopes };
    }
    return undefined;
  };
}
