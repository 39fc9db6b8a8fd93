// Keeps an auth instance's keyring current without a restart. Every interval it
// applies the lifecycle transitions that are due and re-reads the keys; when
// the signing key or the published set changed, it hands over the new keyring
// (the auth service then swaps in a provider built on it). A refresh that fails
// keeps the current keyring and is reported: signing goes on with known keys,
// and the retirement margin covers a late switch.
import type { PrismaClient, SigningKey } from '@passerelle/db';
import { advanceSigningKeys } from './lifecycle.ts';
import { keyringOf, keyringOrder, type Keyring } from './keyring.ts';

export interface WatchOptions {
  intervalSeconds: number;
  /** Seconds a superseded key stays published after its successor activates. */
  retireAfterSeconds: number;
  onChange(keyring: Keyring): void;
  onError(err: unknown): void;
}

export interface KeyWatcher {
  readonly current: Keyring;
  /** Runs one refresh now (tests, and a pub/sub notice if one is added). */
  refresh(): Promise<void>;
  close(): void;
}

const fingerprint = (rows: readonly SigningKey[]) => keyringOrder(rows).map((r) => `${r.kid}:${r.status}`).join(',');

export async function watchSigningKeys(prisma: PrismaClient, kek: Buffer, options: WatchOptions): Promise<KeyWatcher> {
  const read = async () => {
    await advanceSigningKeys(prisma, { retireAfterSeconds: options.retireAfterSeconds });
    return prisma.signingKey.findMany({ where: { status: { not: 'retired' } } });
  };
  const rows = await read();
  let current = keyringOf(rows, kek);
  let seen = fingerprint(rows);
  let running: Promise<void> | undefined;

  const refresh = () => {
    running ??= (async () => {
      try {
        const latest = await read();
        const next = fingerprint(latest);
        if (next === seen) return;
        current = keyringOf(latest, kek);
        seen = next;
        options.onChange(current);
      } catch (err) {
        options.onError(err);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void refresh(), options.intervalSeconds * 1000);
  timer.unref();

  return {
    get current() { return current; },
    refresh,
    close: () => clearInterval(timer),
  };
}
