// The shared mode's store: Redis, shared by the auth and API processes. One
// connection carries commands (and the rate limiters); pub/sub opens its own on
// first use. Every key, channel and limiter key starts with `keyPrefix`, so
// several deployments or test runs can share one Redis without meeting.
import type { OpenStoreOptions, Store } from './types.ts';
import { connectRedis, closeConnection } from './redis-connection.ts';
import { RedisKeyValueStore } from './redis-kv.ts';
import { RedisPubSub } from './redis-pubsub.ts';
import { LimiterFallback, redisLimiter } from './limiter.ts';

export async function openRedisStore(
  url: string, keyPrefix: string, { onError }: Pick<Required<OpenStoreOptions>, 'onError'>,
): Promise<Store> {
  const redis = await connectRedis(url, onError);
  const pubsub = new RedisPubSub(redis, keyPrefix, onError);
  const fallback = new LimiterFallback(onError);
  let closing: Promise<void> | undefined;

  return {
    kind: 'redis',
    kv: new RedisKeyValueStore(redis, keyPrefix),
    pubsub,
    limiter: (options) => redisLimiter(redis, keyPrefix, options, fallback),
    onLimiterFallback: (listener) => fallback.listen(listener),
    async ping() {
      await redis.ping();
    },
    close() {
      closing ??= Promise.all([pubsub.close(), closeConnection(redis)]).then(() => undefined);
      return closing;
    },
  };
}
