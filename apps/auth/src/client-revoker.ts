// Ending a client's tokens (disable, delete, end of a rotation grace): a
// per-client "not before" on the revocation list, which every API process
// mirrors and applies within a second, then the client's grants and refresh
// tokens in the provider's store. The registry calls this inside the change's
// transaction, so a store failure rolls the change back.
import { createRevocationWriter, type RevocationWriter } from '@passerelle/revocation';
import type { Store } from '@passerelle/store';
import { purgeClientArtifacts } from './adapter.ts';

export function createClientRevoker(store: Pick<Store, 'kv' | 'pubsub'>, writer: RevocationWriter = createRevocationWriter(store)) {
  return async function revokeClient(clientId: string): Promise<void> {
    await writer.revokeClient(clientId);
    await purgeClientArtifacts(store.kv, clientId);
  };
}
