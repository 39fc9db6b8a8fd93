// Counts failed authentications under a key (an IP address, a consumer-key)
// and locks the key out once they reach the limit: rate-limiter-flexible on the
// store, with blockDuration, so every process shares the count and the lock.
// A lock is also remembered in process, so a locked-out flood is refused without
// a store round trip, and a request that authenticates costs none either: a
// process learns of a lock set elsewhere at the next failure it sees for the
// key (so a lock may let one more failure through per process, never more).
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem } from '@passerelle/errors';

export interface FailureGate {
  /** Seconds until the key's lockout ends; undefined when it is not locked out. */
  lockedFor(key: string): number | undefined;
  /** Counts one failure; true when this one locked the key out. */
  fail(key: string): Promise<boolean>;
}

const MAX_LOCAL_LOCKS = 10_000;

function isLimiterRes(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && 'remainingPoints' in value;
}

/** `limiter` counts failures (points = failures allowed per window); a key that reaches it is locked for `lockoutSeconds`. */
export function createFailureGate(limiter: RateLimiterAbstract, lockoutSeconds: number, now: () => number = Date.now): FailureGate {
  const locks = new Map<string, number>();

  function lock(key: string, until: number): void {
    if (locks.size >= MAX_LOCAL_LOCKS) {
      for (const [k, u] of locks) if (u <= now()) locks.delete(k);
      if (locks.size >= MAX_LOCAL_LOCKS) locks.delete(locks.keys().next().value!);
    }
    locks.set(key, until);
  }

  return {
    lockedFor(key) {
      const until = locks.get(key);
      if (until === undefined) return undefined;
      if (until <= now()) {
        locks.delete(key);
        return undefined;
      }
      return Math.max(1, Math.ceil((until - now()) / 1000));
    },
    async fail(key) {
      try {
        const res = await limiter.consume(key);
        if (res.remainingPoints > 0) return false;
        await limiter.block(key, lockoutSeconds);
        lock(key, now() + lockoutSeconds * 1000);
        return true;
      } catch (err) {
        if (!isLimiterRes(err)) throw new Problem('service_unavailable', { cause: err });
        lock(key, now() + err.msBeforeNext);
        return false;
      }
    },
  };
}

/** The answer while locked out: the same for every reason, so it tells nothing of what was wrong. */
export function lockedOut(retryAfterSeconds: number): Problem {
  return new Problem('rate_limited', { headers: { 'Retry-After': String(retryAfterSeconds) } });
}
