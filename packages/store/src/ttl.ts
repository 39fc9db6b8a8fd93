// One reading of TTL arguments for both implementations, so Redis and memory
// agree on what a TTL means: seconds (fractions allowed), strictly positive.
// A zero, negative or NaN TTL is a caller's bug; silently storing the value
// forever (or not at all) would hide it, so it throws instead.

/** Milliseconds for a TTL that must be given. */
export function ttlMs(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a finite number above 0, got ${ttlSeconds}`);
  }
  return Math.ceil(ttlSeconds * 1000);
}

/** Milliseconds for an optional TTL; undefined means "no expiry". */
export function optionalTtlMs(ttlSeconds: number | undefined): number | undefined {
  return ttlSeconds === undefined ? undefined : ttlMs(ttlSeconds);
}

/** Remaining whole seconds, rounded up so a live key never reports 0. */
export function remainingSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
