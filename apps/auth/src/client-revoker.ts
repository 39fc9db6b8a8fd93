// What the registry calls when a client changes, so that every process sees it:
// - revokeClient (disable, delete, end of a rotation grace): a per-client "not
//   before" on the revocation list, which every API process mirrors and
//   applies within a second, then the client's grants and refresh tokens in the
//   provider's store. Called inside the change's transaction, so a store
//   failure rolls the change back.
// - announceClientChange (any change, after it is committed): a change notice
//   on the same list, on which every process drops its cached copy of the
//   client. A notice that cannot be sent is reported, not thrown: the change is
//   already committed, and the caches' own lifetime bounds how long it is missed.
// - revokeApiKey (one of the client's API keys revoked): an entry on the same
//   list, on which every API process refuses the key and drops its cached copy.
import { createRevocationWriter, type RevocationWriter } from '@passerelle/revocation';
import type { RegistryOptions } from '@passerelle/registry';
import type { Store } from '@passerelle/store';
import { purgeClientArtifacts } from './adapter.ts';

export interface ClientChangeHookOptions {
  writer?: RevocationWriter;
  /** A change notice could not be sent (the store is unreachable). */
  onAnnounceError?: (err: unknown, clientId: string) => void;
}

export function clientChangeHooks(
  store: Pick<Store, 'kv' | 'pubsub'>,
  { writer = createRevocationWriter(store), onAnnounceError = () => {} }: ClientChangeHookOptions = {},
): Required<Pick<RegistryOptions, 'revokeClient' | 'announceClientChange' | 'revokeApiKey'>> {
  return {
    async revokeClient(clientId) {
      await writer.revokeClient(clientId);
      await purgeClientArtifacts(store.kv, clientId);
    },
    async announceClientChange(clientId) {
      await writer.announceClientChange(clientId).catch((err: unknown) => onAnnounceError(err, clientId));
    },
    revokeApiKey: (keyId) => writer.revokeApiKey(keyId),
  };
}
