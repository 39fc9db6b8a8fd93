// The shape of Passerelle's shared ephemeral state. Two implementations sit
// behind it (Redis for the shared mode, process memory for the embedded one) and
// both pass the same contract tests, so no consumer ever branches on the mode.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Strings under keys, each with an optional expiry. TTLs are in seconds and may
 * be fractional; a TTL that is given must be a finite number above zero.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** ttlSeconds > 0 sets an expiry; omitted = no expiry (an existing expiry is dropped) */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** atomically sets only if absent; true when this call created it */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** atomically returns the value and deletes it */
  take(key: string): Promise<string | undefined>;
  delete(...keys: string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * remaining ttl in whole seconds, rounded up (so a live key never reports 0,
   * which would read as "no expiry" if passed back to set); undefined when no
   * key or no expiry
   */
  ttl(key: string): Promise<number | undefined>;
  /** set membership for indexes (e.g. grantId -> keys); the set's own ttl is extended to at least ttlSeconds */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  members(key: string): Promise<string[]>;
  /** removes members from a set; a set left empty is gone (as in Redis) */
  removeFromSet(key: string, ...members: string[]): Promise<void>;
  /** numeric counter with expiry set on first increment; returns new value */
  increment(key: string, ttlSeconds: number): Promise<number>;
}

/** At-most-once broadcast: a message published while a subscriber is disconnected is lost. */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** resolves once subscribed; returns an unsubscribe function */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
}

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

/**
 * Rate limits fell back to the per-process insurance limiters (`engaged`: the
 * shared store stopped answering) or are shared again (`released`).
 */
export interface LimiterFallbackEvent {
  state: 'engaged' | 'released';
}

export interface Store {
  readonly kind: 'redis' | 'memory';
  readonly kv: KeyValueStore;
  readonly pubsub: PubSub;
  /** a rate-limiter-flexible limiter on this store (RateLimiterRedis | RateLimiterMemory); `insuranceLimiter` memory fallback for redis */
  limiter(options: LimiterOptions): RateLimiterAbstract;
  /**
   * Hears when this store's limiters fall back to process memory and when they
   * are shared again: once per transition, never per decision. The memory store
   * has nothing to fall back from and never calls it. Returns an unsubscribe.
   */
  onLimiterFallback(listener: (event: LimiterFallbackEvent) => void): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreTarget = { kind: 'redis'; url: string; keyPrefix?: string } | { kind: 'memory' };

export interface OpenStoreOptions {
  /** Errors after start (lost connection, a throwing subscriber). Default: printed to stderr. */
  onError?: (err: Error) => void;
  /** The memory store's clock, in ms; Redis keeps time on the server. Default: Date.now. */
  now?: () => number;
}
