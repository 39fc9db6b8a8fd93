// The guard's view of API keys, read from the database by the key's SHA-256
// and kept in process for a few seconds, so a request with a known key costs
// no query. What bounds the cache:
// - entries are keyed by the hash, so the cache holds no key;
// - a revoked key is dropped the moment this process hears the revocation
//   (and check-revocation refuses it by id anyway, whatever the cache says);
//   any change to its client (disable, delete, partner disabled, an edit) drops
//   every key of that client, so the next request reads the client's new state;
// - unknown keys are not cached (the per-IP failure limit bounds a flood);
// - other edits (the client's scopes narrowed) apply within CACHE_MS.
// `lastUsedAt` is written at most once a minute per key and process, off the
// request's path: a failed write is logged, never a failed request.
import type { PrismaClient } from '@passerelle/db';
import type { ApiKeyGrant, ApiKeyLookup } from '@passerelle/guard';
import { hashApiKey } from '@passerelle/registry';
import type { RevocationMirror } from '@passerelle/revocation';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
const TOUCH_EVERY_MS = 60_000;

export function createApiKeyLookup(
  prisma: PrismaClient,
  revocation: Pick<RevocationMirror, 'onApiKeyRevoked' | 'onClientChange'>,
  onTouchError: (err: unknown) => void,
): ApiKeyLookup {
  const cache = new Map<string, { grant: ApiKeyGrant; until: number }>();
  const touchedAt = new Map<string, number>();
  const drop = (matches: (grant: ApiKeyGrant) => boolean) => {
    for (const [hash, { grant }] of cache) if (matches(grant)) cache.delete(hash);
  };
  revocation.onApiKeyRevoked((keyId) => drop((grant) => grant.keyId === keyId));
  revocation.onClientChange((clientId) => drop((grant) => grant.clientId === clientId));

  function touch(keyId: string): void {
    const now = Date.now();
    if ((touchedAt.get(keyId) ?? 0) > now - TOUCH_EVERY_MS) return;
    if (touchedAt.size >= CACHE_MAX) touchedAt.clear();
    touchedAt.set(keyId, now);
    prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) }, select: { id: true } }).catch(onTouchError);
  }

  async function load(keyHash: string): Promise<ApiKeyGrant | undefined> {
    const row = await prisma.apiKey.findUnique({
      where: { keyHash },
      select: {
        id: true, clientId: true, partnerId: true, scopes: true, expiresAt: true, revokedAt: true,
        client: { select: { allowedScopes: true } },
      },
    });
    if (!row) return undefined;
    return {
      keyId: row.id,
      clientId: row.clientId,
      partnerId: row.partnerId,
      scopes: row.scopes.filter((s) => row.client.allowedScopes.includes(s)),
      expiresAt: row.expiresAt?.getTime(),
      revoked: row.revokedAt !== null,
    };
  }

  return async function apiKeyGrant(key) {
    const keyHash = hashApiKey(key);
    const cached = cache.get(keyHash);
    let grant = cached && cached.until > Date.now() ? cached.grant : undefined;
    if (!grant) {
      grant = await load(keyHash);
      if (!grant) return undefined;
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(keyHash, { grant, until: Date.now() + CACHE_MS });
    }
    if (!grant.revoked) touch(grant.keyId);
    return grant;
  };
}
