// The token endpoint's client lookup (oidc-provider asks for the client on every
// request that authenticates one). Reading PostgreSQL each time cost more than
// the rest of a client-credentials request, so clients are served from the
// process's cache of clients (@passerelle/revocation's client cache), which
// keeps the guarantee the direct read gave:
// - a client disabled, deleted or rotated, or whose partner is disabled, is
//   revoked through the revocation list, and the cache drops it the moment this
//   process's mirror hears it (a broadcast; the next sync if one was lost);
// - any other change (allowlist, scopes, secret rotated with a grace, client
//   or partner enabled) is announced by the registry after its commit, and
//   drops the entry the same way: a new secret works at once;
// - whatever happens to Redis, no entry is served after TTL_MS (one second),
//   so a client disabled by an admin is refused within a second on every
//   auth process, as when every request read the database.
// The end of a rotation grace needs no message: the provider compares the
// grace's end with its clock on every attempt (provider.ts).
import type { Registry } from '@passerelle/registry';
import { createClientCache, type RevocationMirror } from '@passerelle/revocation';
import type { ClientLookup } from './adapter.ts';
import { clientMetadata } from './client-metadata.ts';

/** Longest a cached client is served if every change broadcast were lost. */
export const CLIENT_CACHE_TTL_MS = 1_000;

export function createClientLookup(
  registry: Pick<Registry, 'findActiveClient'>,
  mirror: Pick<RevocationMirror, 'onClientChange'>,
  ttlMs = CLIENT_CACHE_TTL_MS,
): ClientLookup {
  const clients = createClientCache(mirror, async (clientId) => {
    const client = await registry.findActiveClient(clientId);
    return client ? clientMetadata(client) : undefined;
  }, { ttlMs });
  return (clientId) => clients.get(clientId);
}
