// How the store holds a Redis connection. At start-up it fails fast: an
// unreachable Redis rejects openStore within START_TIMEOUT_MS with the cause,
// instead of letting the app listen and fail every request. Once started,
// ioredis reconnects on its own, errors go to onError (never an unhandled
// 'error' event), and a command issued while Redis is down fails after one
// reconnect attempt, so a request gets a prompt 503 instead of hanging.
// The server must be Redis >= 7.0 (EXPIRE NX/GT): an older one is refused at
// start-up rather than failing the first grant or rate limit in production.
import { Redis } from 'ioredis';
import { StoreUnavailableError } from './errors.ts';

/** Start-up deadline, covering DNS, TCP, TLS and the HELLO handshake. */
export const START_TIMEOUT_MS = 5_000;

const connectionOptions = {
  lazyConnect: true, // connect() below, so start-up can be awaited and bounded
  connectTimeout: START_TIMEOUT_MS, // per attempt, also after start
  maxRetriesPerRequest: 1,
  commandTimeout: 5_000, // a server that accepts but never answers
  // Commands issued in the same tick leave in one write: the limiters of one
  // rate-limit decision (and concurrent requests' decisions) share a round trip.
  enableAutoPipelining: true,
} as const;

const MINIMUM_VERSION = [7, 0] as const;

/** The URL with its password masked, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** The server's "major.minor" from INFO, e.g. "7.0"; Valkey reports its Redis compatibility level. */
async function serverVersion(redis: Redis): Promise<[number, number] | undefined> {
  const match = /^redis_version:(\d+)\.(\d+)/m.exec(await redis.info('server'));
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function isSupported(version: [number, number] | undefined): boolean {
  if (version === undefined) return false;
  const [major, minor] = version;
  return major > MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor >= MINIMUM_VERSION[1]);
}

export async function connectRedis(url: string, onError: (err: Error) => void): Promise<Redis> {
  const redis = new Redis(url, connectionOptions);
  let firstError: Error | undefined;
  const starting = (err: Error) => {
    firstError ??= err;
  };
  redis.on('error', starting);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  });
  let version: [number, number] | undefined;
  try {
    version = await Promise.race([redis.connect().then(() => serverVersion(redis)), deadline]);
  } catch (err) {
    // Stop the reconnect loop ioredis has already scheduled. `starting` stays
    // attached: the abandoned handshake may still fail, and ioredis prints
    // 'error' events that nobody listens to.
    redis.disconnect();
    const cause = firstError ?? err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StoreUnavailableError(`Redis at ${redacted(url)} is unreachable: ${reason}`, { cause });
  } finally {
    clearTimeout(timer);
  }
  if (!isSupported(version)) {
    redis.disconnect();
    const found = version ? version.join('.') : 'unknown';
    throw new StoreUnavailableError(`Redis at ${redacted(url)} is version ${found}; the store needs ${MINIMUM_VERSION.join('.')} or newer`);
  }
  redis.off('error', starting);
  redis.on('error', onError);
  return redis;
}

/** QUIT when connected (pending replies arrive first), otherwise just stop reconnecting. */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect(); // the connection broke while quitting: nothing left to wait for
  }
}
