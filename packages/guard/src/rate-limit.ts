// Per-client rate limit (rate-limiter-flexible: one store round trip per
// decision). Answers 429 with Retry-After, and advertises the policy with the
// IETF RateLimit-Policy / RateLimit header fields on every response.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem } from '@passerelle/errors';

export interface RateDecisionHeaders {
  'RateLimit-Policy': string;
  'RateLimit': string;
}

function headersOf(name: string, points: number, windowSeconds: number, res: RateLimiterRes): RateDecisionHeaders {
  const reset = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
  return {
    'RateLimit-Policy': `"${name}";q=${points};w=${windowSeconds}`,
    'RateLimit': `"${name}";r=${Math.max(0, res.remainingPoints)};t=${reset}`,
  };
}

function isLimiterRes(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && 'remainingPoints' in value;
}

/** Consumes one point for `key`; returns headers to send, or throws 429. */
export async function consumeRate(
  limiter: RateLimiterAbstract, name: string, key: string,
): Promise<RateDecisionHeaders> {
  try {
    const res = await limiter.consume(key);
    return headersOf(name, limiter.points, limiter.duration, res);
  } catch (err) {
    if (!isLimiterRes(err)) throw new Problem('service_unavailable', { cause: err });
    const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new Problem('rate_limited', {
      headers: { ...headersOf(name, limiter.points, limiter.duration, err), 'Retry-After': String(retryAfter) },
    });
  }
}
