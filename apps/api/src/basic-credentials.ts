// The Basic fallback's secret check: the client's stored secret hashes, read
// from the database and kept in process for a few seconds (like its policy, in
// ./client-policies.ts), verified by the registry's cached secret verifier. A
// revocation of the client (secret rotated, client disabled or deleted) drops
// both its record and its cached verifications, so the next request sees the
// change. A rotation with a grace period revokes nothing, so a secret that does
// not match a cached record is checked once more against a fresh read before it
// is refused: the new secret works at once (and every refusal, known key or
// not, costs the same read and hash).
import type { PrismaClient } from '@passerelle/db';
import type { BasicSecretCheck } from '@passerelle/guard';
import { createSecretVerifier, type StoredSecrets } from '@passerelle/registry';
import type { RevocationMirror } from '@passerelle/revocation';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

interface BasicRecord extends StoredSecrets {
  allowedScopes: string[];
}

export function createBasicSecretCheck(
  prisma: PrismaClient,
  revocation: Pick<RevocationMirror, 'onRevocation'>,
): BasicSecretCheck {
  const verifier = createSecretVerifier();
  const records = new Map<string, { record: BasicRecord | undefined; until: number }>();
  revocation.onRevocation((r) => {
    if (r.kind !== 'client') return;
    records.delete(r.id);
    verifier.forget(r.id);
  });

  async function load(consumerKey: string, fresh: boolean): Promise<BasicRecord | undefined> {
    const cached = records.get(consumerKey);
    if (!fresh && cached && cached.until > Date.now()) return cached.record;
    const record = await prisma.client.findUnique({
      where: { clientId: consumerKey },
      select: { secretHash: true, previousSecretHash: true, previousSecretExpiresAt: true, allowedScopes: true },
    }) ?? undefined;
    if (records.size >= CACHE_MAX) records.clear();
    records.set(consumerKey, { record, until: Date.now() + CACHE_MS });
    return record;
  }

  return async function checkBasicSecret(consumerKey, secret) {
    for (const fresh of [false, true]) {
      const record = await load(consumerKey, fresh);
      if (await verifier.verify(consumerKey, secret, record)) return { allowedScopes: record!.allowedScopes };
    }
    return undefined;
  };
}
