// Per-process caches of client records (the API's client policies and Basic
// secrets, the authorization server's client lookup), kept current by the
// revocation mirror rather than by a second channel. What a cache guarantees:
// - an entry is dropped as soon as the mirror hears its client changed: a
//   revocation (disable, delete, rotation without grace, partner disabled) or
//   a change notice, which the registry sends after the change is committed;
//   a broadcast lost on the way is made up by the mirror's next sync;
// - whatever happens to broadcasts, an entry is never served after `ttlMs`;
// - a read that was already running when a change was heard is returned to
//   its caller but not kept: it may hold the row as it was before the change;
// - concurrent misses for one client share one read (no stampede when an
//   entry expires under load), and a change makes later callers read afresh;
//   a read older than `ttlMs` is not joined, so one stuck query cannot hold
//   every later request for that client;
// - at most `maxEntries` entries, the oldest going first (unknown ids are
//   cached too, so a flood of them costs bounded memory, not a query each).
import type { RevocationMirror } from './mirror.ts';

export interface ClientCacheOptions {
  /** Longest an entry is served, in ms, even if every broadcast is lost. */
  ttlMs: number;
  maxEntries?: number;
  /** Epoch milliseconds; tests control it. */
  now?: () => number;
}

export interface ClientCache<T> {
  /** The client's record, from the cache or read now; `fresh` always reads. */
  get(clientId: string, options?: { fresh?: boolean }): Promise<T>;
}

export function createClientCache<T>(
  mirror: Pick<RevocationMirror, 'onClientChange'>,
  read: (clientId: string) => Promise<T>,
  options: ClientCacheOptions,
): ClientCache<T> {
  const { ttlMs, maxEntries = 10_000, now = Date.now } = options;
  const entries = new Map<string, { value: T; until: number }>();
  const reading = new Map<string, { pending: Promise<T>; startedAt: number }>();
  /** Counts changes heard: a read that saw it move while running is not kept. */
  let changesHeard = 0;

  mirror.onClientChange((clientId) => {
    changesHeard += 1;
    entries.delete(clientId);
    reading.delete(clientId);
  });

  function load(clientId: string): Promise<T> {
    const heardBefore = changesHeard;
    const pending: Promise<T> = read(clientId).then((value) => {
      if (reading.get(clientId)?.pending === pending) reading.delete(clientId);
      if (changesHeard === heardBefore) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(clientId, { value, until: now() + ttlMs });
      }
      return value;
    }, (err: unknown) => {
      if (reading.get(clientId)?.pending === pending) reading.delete(clientId);
      throw err;
    });
    reading.set(clientId, { pending, startedAt: now() });
    return pending;
  }

  return {
    get(clientId, { fresh = false } = {}) {
      if (!fresh) {
        const cached = entries.get(clientId);
        if (cached && cached.until > now()) return Promise.resolve(cached.value);
        const running = reading.get(clientId);
        if (running && now() - running.startedAt < ttlMs) return running.pending;
      }
      entries.delete(clientId);
      return load(clientId);
    },
  };
}
