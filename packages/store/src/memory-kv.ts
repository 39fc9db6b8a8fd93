// The embedded mode's key-value store, in process memory, with Redis's
// semantics so code proven here behaves the same on Redis:
// - one keyspace, where a key holds a string or a set (WRONGTYPE otherwise);
// - expiry is checked on every access (Redis's passive expiry), and `sweep()`
//   drops entries nobody reads again (abandoned codes, replay nonces), so memory
//   does not grow without bound;
// - each operation runs synchronously inside its promise, which is what makes
//   setIfAbsent, take and increment atomic on one event loop.
import type { KeyValueStore } from './types.ts';
import { optionalTtlMs, remainingSeconds, ttlMs } from './ttl.ts';

interface Entry {
  value: string | Set<string>;
  /** epoch ms on the injected clock; undefined = no expiry */
  expiresAt: number | undefined;
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function parseCounter(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new Error('ERR value is not an integer or out of range');
  return n;
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #string(key: string): string | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    if (typeof entry.value !== 'string') throw new Error(WRONGTYPE);
    return entry.value;
  }

  #deadline(ms: number): number {
    return this.#now() + ms;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#string(key);
  }

  /** Like MGET: a key holding a set reads as absent rather than failing the batch. */
  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => {
      const value = this.#live(key)?.value;
      return typeof value === 'string' ? value : undefined;
    });
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ms = optionalTtlMs(ttlSeconds);
    this.#entries.set(key, { value, expiresAt: ms === undefined ? undefined : this.#deadline(ms) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const ms = ttlMs(ttlSeconds);
    if (this.#live(key) !== undefined) return false;
    this.#entries.set(key, { value, expiresAt: this.#deadline(ms) });
    return true;
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.#string(key);
    if (value !== undefined) this.#entries.delete(key);
    return value;
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.#entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async ttl(key: string): Promise<number | undefined> {
    const expiresAt = this.#live(key)?.expiresAt;
    return expiresAt === undefined ? undefined : remainingSeconds(expiresAt - this.#now());
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    const expiresAt = this.#deadline(ttlMs(ttlSeconds));
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#entries.set(key, { value: new Set([member]), expiresAt });
      return;
    }
    if (typeof entry.value === 'string') throw new Error(WRONGTYPE);
    entry.value.add(member);
    // Extend, never shorten; a set without expiry keeps none (as EXPIRE GT does).
    if (entry.expiresAt !== undefined) entry.expiresAt = Math.max(entry.expiresAt, expiresAt);
  }

  async members(key: string): Promise<string[]> {
    const entry = this.#live(key);
    if (entry === undefined) return [];
    if (typeof entry.value === 'string') throw new Error(WRONGTYPE);
    return [...entry.value];
  }

  async removeFromSet(key: string, ...members: string[]): Promise<void> {
    const entry = this.#live(key);
    if (entry === undefined || members.length === 0) return;
    if (typeof entry.value === 'string') throw new Error(WRONGTYPE);
    for (const member of members) entry.value.delete(member);
    if (entry.value.size === 0) this.#entries.delete(key);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const expiresAt = this.#deadline(ttlMs(ttlSeconds));
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#entries.set(key, { value: '1', expiresAt });
      return 1;
    }
    if (typeof entry.value !== 'string') throw new Error(WRONGTYPE);
    const next = parseCounter(entry.value) + 1;
    entry.value = String(next);
    entry.expiresAt ??= expiresAt; // EXPIRE NX: only a counter without expiry gets one
    return next;
  }

  /** Drops every expired entry; returns how many were dropped. */
  sweep(): number {
    const now = this.#now();
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.#entries.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Entries held, expired or not: what the sweep exists to bound. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
