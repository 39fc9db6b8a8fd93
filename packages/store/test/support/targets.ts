// The stores the contract runs against: memory always, and the real Redis at
// REDIS_URL when set (CI sets it). Each Redis run gets a random key prefix and
// deletes every key under it afterwards, so runs can share one Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { openStore, type OpenStoreOptions, type Store } from '../../src/index.ts';
import { sleep } from './wait.ts';

export interface Target {
  readonly name: 'memory' | 'redis';
  /** a store isolated to this run; Redis stores opened with the same `prefix` share keys and channels */
  open(options?: OpenStoreOptions & { prefix?: string }): Promise<Store>;
  /** a fresh prefix, for a store that must not meet the others */
  freshPrefix(): string;
  /** lets `ms` pass for expiry: the fake clock for memory, real time for Redis */
  elapse(ms: number): Promise<void>;
  /** a plain client on the same Redis, to look behind the store (Redis only) */
  raw?: Redis;
  /** this run's default prefix (Redis only) */
  prefix?: string;
  cleanup(): Promise<void>;
}

export const redisUrl = process.env.REDIS_URL;

export function memoryTarget(): Target {
  let clock = Date.UTC(2030, 0, 1);
  const opened: Store[] = [];
  return {
    name: 'memory',
    async open(options = {}) {
      const store = await openStore({ kind: 'memory' }, { now: () => clock, ...options });
      opened.push(store);
      return store;
    },
    freshPrefix: () => '',
    async elapse(ms) {
      clock += ms;
    },
    async cleanup() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
}

export function redisTarget(url: string): Target {
  const runId = `passerelle-test:${randomUUID()}`;
  const prefix = `${runId}:`;
  const raw = new Redis(url);
  const opened: Store[] = [];
  return {
    name: 'redis',
    raw,
    prefix,
    async open({ prefix: keyPrefix = prefix, ...options } = {}) {
      const store = await openStore({ kind: 'redis', url, keyPrefix }, options);
      opened.push(store);
      return store;
    },
    freshPrefix: () => `${runId}:${randomUUID()}:`,
    elapse: (ms) => sleep(ms),
    async cleanup() {
      await Promise.all(opened.map((store) => store.close()));
      const keys: string[] = [];
      for await (const batch of raw.scanStream({ match: `${runId}:*`, count: 500 })) keys.push(...(batch as string[]));
      if (keys.length > 0) await raw.del(keys);
      await raw.quit();
    },
  };
}

export function contractTargets(): Target[] {
  return [memoryTarget(), ...(redisUrl ? [redisTarget(redisUrl)] : [])];
}
