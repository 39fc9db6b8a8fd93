// The embedded mode's store: everything in this process's memory, gone on exit.
// Only one process may use it, which is the embedded mode's premise (auth and
// API in one process); the shared mode must use Redis.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterOptions, OpenStoreOptions, Store } from './types.ts';
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
  // One limiter per set of options, so that two users of the same counters
  // (the rate-limit step that writes usage, the page that reads it) see the
  // same counts, as they do on Redis.
  const limiters = new Map<string, RateLimiterAbstract>();
  function limiter(options: LimiterOptions): RateLimiterAbstract {
    const key = JSON.stringify([options.keyPrefix, options.points, options.duration, options.blockDuration ?? 0]);
    let existing = limiters.get(key);
    if (!existing) {
      existing = memoryLimiter(options);
      limiters.set(key, existing);
    }
    return existing;
  }

  return {
    kind: 'memory',
    kv,
    pubsub,
    limiter,
    onLimiterFallback: () => () => {},
    async ping() {},
    async close() {
      clearInterval(sweeper);
      pubsub.close();
      kv.clear();
    },
  };
}
