// Rate limiters from rate-limiter-flexible on either store. Over Redis, one
// decision is one round trip (the library's INCR+PTTL Lua script; the
// connection auto-pipelines, so limiters consumed together share it), keys
// carry the store's prefix explicitly (the library builds its own keys, so the
// prefix must go into its keyPrefix), and a RateLimiterMemory of the same
// options is the insurance limiter: while Redis is down each process limits on
// its own instead of failing every request or letting every request through.
// The fallback is announced once when it starts and once when Redis decides
// again, never per request (see LimiterFallback).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFallbackEvent, LimiterOptions } from './types.ts';

/**
 * A window of 0 never resets, and rate-limiter-flexible over Redis drops
 * sub-second windows to 0: neither is a rate limit, so both are refused.
 */
function checked({ keyPrefix, points, duration, blockDuration }: LimiterOptions): LimiterOptions {
  if (!Number.isInteger(points) || points < 1) throw new RangeError(`limiter ${keyPrefix}: points must be an integer >= 1`);
  if (!Number.isInteger(duration) || duration < 1) throw new RangeError(`limiter ${keyPrefix}: duration must be whole seconds >= 1`);
  if (blockDuration !== undefined && !(Number.isInteger(blockDuration) && blockDuration >= 0)) {
    throw new RangeError(`limiter ${keyPrefix}: blockDuration must be whole seconds >= 0`);
  }
  return { keyPrefix, points, duration, blockDuration };
}

export function memoryLimiter(options: LimiterOptions): RateLimiterAbstract {
  return new RateLimiterMemory(checked(options));
}

/**
 * Whether a store's limiters are deciding from process memory. Shared by every
 * limiter of one store: the first insurance decision of an outage engages it,
 * the first decision Redis answers again releases it; listeners hear each
 * transition once.
 */
export class LimiterFallback {
  #engaged = false;
  readonly #listeners = new Set<(event: LimiterFallbackEvent) => void>();
  readonly #onError: (err: Error) => void;

  constructor(onError: (err: Error) => void) {
    this.#onError = onError;
  }

  get engaged(): boolean {
    return this.#engaged;
  }

  listen(listener: (event: LimiterFallbackEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  engage(): void {
    if (this.#engaged) return;
    this.#engaged = true;
    this.#emit({ state: 'engaged' });
  }

  release(): void {
    if (!this.#engaged) return;
    this.#engaged = false;
    this.#emit({ state: 'released' });
  }

  #emit(event: LimiterFallbackEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}

/** The insurance limiter: a memory limiter that engages the fallback when used. */
class InsuranceLimiter extends RateLimiterMemory {
  readonly #fallback: LimiterFallback;

  constructor(options: LimiterOptions, fallback: LimiterFallback) {
    super(options);
    this.#fallback = fallback;
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): ReturnType<RateLimiterMemory['consume']> {
    this.#fallback.engage();
    return super.consume(...args);
  }
}

/** The store round trip of RateLimiterRedis (not in the library's typings). */
type Upsert = (this: RateLimiterRedis, ...args: unknown[]) => Promise<unknown>;
const redisUpsert = (RateLimiterRedis.prototype as unknown as { _upsert: Upsert })._upsert;

/** RateLimiterRedis that releases the fallback once Redis answers a decision again. */
class SharedLimiter extends RateLimiterRedis {
  readonly #fallback: LimiterFallback;

  constructor(options: ConstructorParameters<typeof RateLimiterRedis>[0], fallback: LimiterFallback) {
    super(options);
    this.#fallback = fallback;
  }

  async _upsert(...args: unknown[]): Promise<unknown> {
    const result = await redisUpsert.apply(this, args);
    if (this.#fallback.engaged) this.#fallback.release();
    return result;
  }
}

export function redisLimiter(
  client: Redis, storePrefix: string, options: LimiterOptions, fallback: LimiterFallback,
): RateLimiterAbstract {
  const limits = checked(options);
  return new SharedLimiter({
    ...limits,
    keyPrefix: storePrefix + limits.keyPrefix,
    storeClient: client,
    // ioredis is the library's default client; `useRedisPackage` is for node-redis v4+.
    useRedisPackage: false,
    // While the connection is not ready, go straight to the insurance limiter
    // rather than queueing the decision behind a reconnect.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new InsuranceLimiter(limits, fallback),
  }, fallback);
}
