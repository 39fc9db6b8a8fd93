// Sign-in abuse limits (OWASP Authentication Cheat Sheet, "Account lockout";
// rate-limiter-flexible's "login endpoint protection" pattern): failures are
// counted per account and per client IP, and either counter reaching its limit
// locks further attempts for a while without checking the password at all.
// - The account key is the normalized email, existing or not, so a lock says
//   nothing about whether the account exists.
// - A success clears the account's counter, not the IP's: one good password
//   does not buy an address more guesses at other accounts.
// - Backoff: each lock of the same key within a day lasts twice the one before
//   (blockDuration, 2×, 4×… up to `maxBlockDuration`), so a patient guesser who
//   waits out every lock gets ever fewer guesses per day.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Store } from '@passerelle/store';

export interface Limit {
  /** failures allowed within `duration` seconds */
  points: number;
  duration: number;
  /** seconds the key stays locked once `points` failures are reached (the first time in a day; doubled each time after) */
  blockDuration: number;
  /** longest lock, seconds (default 24 h) */
  maxBlockDuration?: number;
}

export interface SignInLimits {
  perAccount: Limit;
  perIp: Limit;
}

export const defaultSignInLimits: SignInLimits = Object.freeze({
  perAccount: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
  perIp: { points: 50, duration: 60 * 60, blockDuration: 60 * 60 },
});

export type SignInLock = 'account' | 'ip';

export interface SignInThrottle {
  /** Seconds until attempts for this account or address are allowed again; 0 when they are. */
  lockedFor(email: string, ip: string): Promise<number>;
  /** Counts a failure; returns the locks it started (`account`, `ip`), usually none. */
  recordFailure(email: string, ip: string): Promise<SignInLock[]>;
  recordSuccess(email: string): Promise<void>;
}

async function lockedSeconds(limiter: RateLimiterAbstract, limit: Limit, key: string): Promise<number> {
  const res = await limiter.get(key);
  if (!res || res.consumedPoints < limit.points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** How many times a key was locked within the last day: the backoff's exponent. */
const LOCK_MEMORY_SECONDS = 86_400;
const MAX_LOCKS_COUNTED = 1_000;

/** True when this failure started a lock. */
async function countFailure(limiter: RateLimiterAbstract, locks: RateLimiterAbstract, limit: Limit, key: string): Promise<boolean> {
  let consumed: number;
  try {
    consumed = (await limiter.consume(key)).consumedPoints;
  } catch (res) {
    if (res instanceof Error) throw res;
    return false; // already over the limit, hence already locked
  }
  if (consumed < limit.points) return false;
  let earlier = MAX_LOCKS_COUNTED;
  try {
    earlier = (await locks.consume(key)).consumedPoints - 1;
  } catch (res) {
    if (res instanceof Error) throw res;
  }
  const cap = limit.maxBlockDuration ?? LOCK_MEMORY_SECONDS;
  await limiter.block(key, Math.min(cap, limit.blockDuration * 2 ** Math.min(earlier, 30)));
  return true;
}

export function createSignInThrottle(store: Pick<Store, 'limiter'>, limits: SignInLimits = defaultSignInLimits): SignInThrottle {
  const account = store.limiter({ keyPrefix: 'signin:account', points: limits.perAccount.points + 1, duration: limits.perAccount.duration });
  const address = store.limiter({ keyPrefix: 'signin:ip', points: limits.perIp.points + 1, duration: limits.perIp.duration });
  const accountLocks = store.limiter({ keyPrefix: 'signin:account-locks', points: MAX_LOCKS_COUNTED, duration: LOCK_MEMORY_SECONDS });
  const addressLocks = store.limiter({ keyPrefix: 'signin:ip-locks', points: MAX_LOCKS_COUNTED, duration: LOCK_MEMORY_SECONDS });
  return {
    async lockedFor(email, ip) {
      const [a, b] = await Promise.all([lockedSeconds(account, limits.perAccount, email), lockedSeconds(address, limits.perIp, ip)]);
      return Math.max(a, b);
    },
    async recordFailure(email, ip) {
      const [onAccount, onIp] = await Promise.all([
        countFailure(account, accountLocks, limits.perAccount, email), countFailure(address, addressLocks, limits.perIp, ip),
      ]);
      return [...(onAccount ? ['account' as const] : []), ...(onIp ? ['ip' as const] : [])];
    },
    async recordSuccess(email) {
      // The account's owner got in: its next lock, if any, starts from the base duration again.
      await Promise.all([account.delete(email), accountLocks.delete(email)]);
    },
  };
}
