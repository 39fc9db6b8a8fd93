// Broadcasts every process must hear (e.g. a revocation, mirrored by each API
// process). A subscribed connection can only do pub/sub, so subscribers get a
// second connection, opened on the first subscribe: a process that only
// publishes never holds one. ioredis resubscribes after a reconnect; messages
// published while disconnected are lost, as Redis pub/sub is at-most-once.
// Channels carry the store's prefix explicitly (channels are not keys, and
// ioredis's keyPrefix would not touch them), so deployments and test runs that
// share one Redis never hear each other.
import type { Redis } from 'ioredis';
import type { PubSub } from './types.ts';
import { asError } from './as-error.ts';
import { closeConnection } from './redis-connection.ts';

interface Subscription {
  onMessage: (message: string) => void;
}

export class RedisPubSub implements PubSub {
  readonly #commands: Redis;
  readonly #prefix: string;
  readonly #onError: (err: Error) => void;
  /** by prefixed channel name, as Redis reports it */
  readonly #channels = new Map<string, Set<Subscription>>();
  #subscriber: Redis | undefined;
  #closed = false;

  constructor(commands: Redis, prefix: string, onError: (err: Error) => void) {
    this.#commands = commands;
    this.#prefix = prefix;
    this.#onError = onError;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#commands.publish(this.#prefix + channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const name = this.#prefix + channel;
    const subscription: Subscription = { onMessage };
    let subscriptions = this.#channels.get(name);
    if (subscriptions === undefined) {
      subscriptions = new Set();
      this.#channels.set(name, subscriptions);
    }
    subscriptions.add(subscription);
    try {
      // Sent even when the channel is already subscribed: replies come in
      // order, so this resolves only once the channel is live on the server.
      await this.#connection().subscribe(name);
    } catch (err) {
      this.#forget(name, subscription);
      throw err;
    }
    return () => this.#unsubscribe(name, subscription);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await closeConnection(subscriber);
  }

  /** Forgets the subscription; true when it was the channel's last. */
  #forget(name: string, subscription: Subscription): boolean {
    const subscriptions = this.#channels.get(name);
    if (subscriptions === undefined || !subscriptions.delete(subscription)) return false;
    if (subscriptions.size > 0) return false;
    this.#channels.delete(name);
    return true;
  }

  async #unsubscribe(name: string, subscription: Subscription): Promise<void> {
    if (this.#forget(name, subscription) && this.#subscriber !== undefined) await this.#subscriber.unsubscribe(name);
  }

  #connection(): Redis {
    // After close, a new duplicate would reconnect to Redis and never be closed.
    if (this.#closed) throw new Error('the store is closed');
    if (this.#subscriber === undefined) {
      const subscriber = this.#commands.duplicate();
      subscriber.on('error', this.#onError);
      subscriber.on('message', (name: string, message: string) => this.#deliver(name, message));
      this.#subscriber = subscriber;
    }
    return this.#subscriber;
  }

  #deliver(name: string, message: string): void {
    for (const subscription of [...(this.#channels.get(name) ?? [])]) {
      try {
        subscription.onMessage(message);
      } catch (err) {
        this.#onError(asError(err));
      }
    }
  }
}
