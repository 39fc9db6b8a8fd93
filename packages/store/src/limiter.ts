// Rate limiters from rate-limiter-flexible on either store. Over Redis, one
// decision is one round trip (the library's INCR+PTTL Lua script), keys carry
// the store's prefix explicitly (the library builds its own keys, so the prefix
// must go into its keyPrefix), and a RateLimiterMemory of the same options is
// the insurance limiter: while Redis is down each process limits on its own
// instead of failing every request or letting every request through.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterOptions } from './types.ts';

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

export function redisLimiter(client: Redis, storePrefix: string, options: LimiterOptions): RateLimiterAbstract {
  const limits = checked(options);
  return new RateLimiterRedis({
    ...limits,
    keyPrefix: storePrefix + limits.keyPrefix,
    storeClient: client,
    // ioredis is the library's default client; `useRedisPackage` is for node-redis v4+.
    useRedisPackage: false,
    // While the connection is not ready, go straight to the insurance limiter
    // rather than queueing the decision behind a reconnect.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(limits),
  });
}
