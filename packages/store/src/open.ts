// The one place that reads the run mode: the shared mode gets Redis, the
// embedded mode gets process memory. Everything else sees only `Store`.
import type { OpenStoreOptions, Store, StoreTarget } from './types.ts';
import { openMemoryStore } from './memory.ts';
import { openRedisStore } from './redis.ts';

function printError(err: Error): void {
  console.error('[@passerelle/store]', err);
}

/** Opens the store; over Redis, rejects with StoreUnavailableError when Redis cannot be reached. */
export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  const onError = options.onError ?? printError;
  switch (target.kind) {
    case 'redis':
      return openRedisStore(target.url, target.keyPrefix ?? '', { onError });
    case 'memory':
      return openMemoryStore({ onError, now: options.now ?? Date.now });
  }
}
