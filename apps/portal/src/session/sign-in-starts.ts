// GET /login stores a ten-minute sign-in record (state, nonce, PKCE verifier)
// before the browser has even reached the auth service, so an address starting
// sign-ins in a loop would fill the store. Each address may start a bounded
// number per minute, counted on the shared store (every portal process sees
// the same count); beyond that, 429 with Retry-After and nothing stored.
import { Problem } from '@passerelle/errors';
import type { Store } from '@passerelle/store';

export type SignInStarts = (address: string) => Promise<void>;

const WINDOW_SECONDS = 60;

function isLimiterRes(value: unknown): value is { msBeforeNext: number } {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && 'remainingPoints' in value;
}

/** Counts one sign-in started from `address`; throws a 429 Problem once `perMinute` is spent. */
export function limitSignInStarts(store: Pick<Store, 'limiter'>, perMinute: number): SignInStarts {
  const limiter = store.limiter({ keyPrefix: 'portal:sign-in-starts', points: perMinute, duration: WINDOW_SECONDS });
  return async (address) => {
    try {
      await limiter.consume(address);
    } catch (err) {
      if (!isLimiterRes(err)) throw new Problem('service_unavailable', { cause: err });
      throw new Problem('rate_limited', {
        detail: 'Too many sign-ins were started from your network. Please try again in a minute.',
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))) },
      });
    }
  };
}
