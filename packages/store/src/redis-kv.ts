// The shared mode's key-value store on Redis (>= 7.0: GETDEL, EXPIRE NX/GT).
// Every operation that must be atomic is one command or one MULTI, so several
// auth and API processes can race on the same key safely:
// - take is GETDEL: a single-use code is handed to exactly one caller;
// - setIfAbsent is SET NX PX: one winner for replay nonces and idempotency keys;
// - increment and addToSet set their expiry in the same MULTI as the write.
// Keys carry the store's prefix here, explicitly, rather than through ioredis's
// keyPrefix option, which pub/sub channels and rate-limiter keys would escape.
import type { ChainableCommander, Redis } from 'ioredis';
import type { KeyValueStore } from './types.ts';
import { optionalTtlMs, remainingSeconds, ttlMs } from './ttl.ts';

/** Runs a MULTI and returns its replies, throwing the first command error. */
async function execAll(transaction: ChainableCommander): Promise<unknown[]> {
  const replies = await transaction.exec();
  if (replies === null) throw new Error('Redis transaction was aborted');
  return replies.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#key(key))) ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.#redis.mget(keys.map((key) => this.#key(key)));
    return values.map((value) => value ?? undefined);
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const ms = optionalTtlMs(ttlSeconds);
    if (ms === undefined) await this.#redis.set(this.#key(key), value);
    else await this.#redis.set(this.#key(key), value, 'PX', ms);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#redis.set(this.#key(key), value, 'PX', ttlMs(ttlSeconds), 'NX')) === 'OK';
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.#redis.getdel(this.#key(key))) ?? undefined;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#redis.del(keys.map((key) => this.#key(key)));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#redis.exists(this.#key(key))) === 1;
  }

  async ttl(key: string): Promise<number | undefined> {
    const ms = await this.#redis.pttl(this.#key(key));
    return ms < 0 ? undefined : remainingSeconds(ms); // -2: no key, -1: no expiry
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    const ms = ttlMs(ttlSeconds);
    const k = this.#key(key);
    // NX gives a new set its expiry; GT then only ever extends an existing one
    // (GT alone would skip a new set, which counts as never expiring).
    await execAll(this.#redis.multi().sadd(k, member).pexpire(k, ms, 'NX').pexpire(k, ms, 'GT'));
  }

  async members(key: string): Promise<string[]> {
    return this.#redis.smembers(this.#key(key));
  }

  async removeFromSet(key: string, ...members: string[]): Promise<void> {
    if (members.length === 0) return;
    await this.#redis.srem(this.#key(key), ...members);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const ms = ttlMs(ttlSeconds);
    const k = this.#key(key);
    const [count] = await execAll(this.#redis.multi().incr(k).pexpire(k, ms, 'NX'));
    return count as number;
  }
}
