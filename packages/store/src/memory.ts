// The embedded mode's store: everything in this process's memory, gone on exit.
// Only one process may use it, which is the embedded mode's premise (auth and
// API in one process); the shared mode must use Redis.
import type { OpenStoreOptions, Store } from './types.ts';
import { MemoryKeyValueStore } from './memory-kv.ts';
import { MemoryPubSub } from './memory-pubsub.ts';
import { memoryLimiter } from './limiter.ts';

/** How often expired entries nobody read again are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

export function openMemoryStore({ now, onError }: Required<OpenStoreOptions>): Store {
  const kv = new MemoryKeyValueStore(now);
  const pubsub = new MemoryPubSub(onError);
  // unref: the sweep alone must never keep the process alive.
  const sweeper = setInterval(() => kv.sweep(), SWEEP_INTERVAL_MS).unref();

  return {
    kind: 'memory',
    kv,
    pubsub,
    limiter: memoryLimiter,
    onLimiterFallback: () => () => {},
    async ping() {},
    async close() {
      clearInterval(sweeper);
      pubsub.close();
      kv.clear();
    },
  };
}
