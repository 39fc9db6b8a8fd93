// The embedded mode's pub/sub: every subscriber of this store, in this process.
// Delivery is deferred to a later turn of the event loop, as it is over Redis,
// so a publisher never runs subscriber code inside its own call stack and the
// ordering tested in embedded mode is the one met in production.
import type { PubSub } from './types.ts';
import { asError } from './as-error.ts';

interface Subscription {
  onMessage: (message: string) => void;
}

export class MemoryPubSub implements PubSub {
  readonly #channels = new Map<string, Set<Subscription>>();
  readonly #onError: (err: Error) => void;

  constructor(onError: (err: Error) => void) {
    this.#onError = onError;
  }

  async publish(channel: string, message: string): Promise<void> {
    const subscriptions = this.#channels.get(channel);
    if (subscriptions === undefined) return;
    const recipients = [...subscriptions];
    setImmediate(() => {
      for (const subscription of recipients) {
        // Unsubscribed meanwhile: Redis would not deliver either.
        if (!subscriptions.has(subscription)) continue;
        try {
          subscription.onMessage(message);
        } catch (err) {
          this.#onError(asError(err));
        }
      }
    });
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const subscription: Subscription = { onMessage };
    let subscriptions = this.#channels.get(channel);
    if (subscriptions === undefined) {
      subscriptions = new Set();
      this.#channels.set(channel, subscriptions);
    }
    subscriptions.add(subscription);
    const own = subscriptions;
    return async () => {
      own.delete(subscription);
      if (own.size === 0 && this.#channels.get(channel) === own) this.#channels.delete(channel);
    };
  }

  close(): void {
    for (const subscriptions of this.#channels.values()) subscriptions.clear();
    this.#channels.clear();
  }
}
