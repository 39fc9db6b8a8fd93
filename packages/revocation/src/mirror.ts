// Each API process keeps the revocation list in memory, so checking a token
// costs no store round trip. It stays current two ways:
// - broadcasts: every revocation is published as it is written, and applied here
//   when heard (well under a second on a healthy Redis);
// - syncs: every `syncIntervalMs` the shared version counter is read, and the
//   whole set re-read when it moved, which heals broadcasts lost while the
//   subscriber was disconnected (Redis pub/sub is at-most-once).
// Staleness is bounded, then the check fails closed: when no sync has succeeded
// for `maxStalenessMs`, `isRevoked` throws a 503 Problem instead of answering
// from a list that may be missing revocations.
// Client change notices (see entries.ts) ride the same set, version and channel,
// so a cache of clients that listens here hears a change as fast as a
// revocation, and one whose broadcast was lost at the next sync.
import { Problem } from '@passerelle/errors';
import type { Store } from '@passerelle/store';
import { REVOCATIONS_CHANNEL, REVOCATIONS_SET, REVOCATIONS_VERSION, decode, type ListEntry } from './entries.ts';

export interface TokenFacts {
  jti: string;
  /** issued-at, epoch seconds */
  iat: number;
  clientId: string;
  userId?: string | undefined;
}

export interface RevocationMirror {
  /** Synchronous: throws Problem('service_unavailable') when the mirror is too stale to trust. */
  isRevoked(token: TokenFacts): boolean;
  /**
   * Called with the client's id whenever this process learns that a client
   * changed: revoked (disabled, deleted, secret rotated, partner disabled) or
   * edited (a change notice). Caches of clients drop the entry.
   */
  onClientChange(listener: (clientId: string) => void): void;
  /** For metrics: how far behind its writer the last broadcast arrived, and when the last sync succeeded. */
  stats(): { lastLagMs: number | undefined; lastSyncAt: number; entries: number };
  close(): Promise<void>;
}

export interface RevocationMirrorOptions {
  syncIntervalMs?: number;
  maxStalenessMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export async function openRevocationMirror(store: Pick<Store, 'kv' | 'pubsub'>, options: RevocationMirrorOptions = {}): Promise<RevocationMirror> {
  const now = options.now ?? Date.now;
  const syncIntervalMs = options.syncIntervalMs ?? 2_000;
  const maxStalenessMs = options.maxStalenessMs ?? 15_000;
  const onError = options.onError ?? (() => {});

  const tokens = new Map<string, number>();
  type SubjectEntry = { notBefore: number; until: number; at: number };
  const notBefore = { client: new Map<string, SubjectEntry>(), user: new Map<string, SubjectEntry>() };
  /** Change notices already heard (id + time), until they leave the shared set. */
  const changes = new Map<string, number>();
  const listeners: ((clientId: string) => void)[] = [];
  let version: string | undefined;
  let lastSyncAt = 0;
  let lastLagMs: number | undefined;

  function apply(entry: ListEntry): void {
    if (entry.kind === 'token') {
      tokens.set(entry.jti, Math.max(tokens.get(entry.jti) ?? 0, entry.until));
      return;
    }
    if (entry.kind === 'client-change') {
      const key = `${entry.id}\0${entry.at}`;
      if (changes.has(key)) return;
      changes.set(key, entry.until);
    } else {
      const known = notBefore[entry.kind].get(entry.id);
      // A second entry in the same second changes no "not before", but it
      // is a new change to the subject (say, a disable right after a rotation):
      // listeners still hear it, so caches of the subject drop what they hold.
      if (known && known.notBefore >= entry.notBefore && known.at >= entry.at) return;
      if (!known || known.notBefore < entry.notBefore) {
        notBefore[entry.kind].set(entry.id, { notBefore: entry.notBefore, until: entry.until, at: entry.at });
      } else {
        known.at = entry.at;
      }
    }
    if (entry.kind !== 'user') for (const listener of listeners) listener(entry.id);
  }

  function dropExpired(): void {
    const nowSeconds = now() / 1000;
    for (const [jti, until] of tokens) if (until <= nowSeconds) tokens.delete(jti);
    for (const map of Object.values(notBefore)) for (const [id, entry] of map) if (entry.until <= nowSeconds) map.delete(id);
    for (const [key, until] of changes) if (until <= nowSeconds) changes.delete(key);
  }

  async function sync(): Promise<void> {
    const current = await store.kv.get(REVOCATIONS_VERSION);
    if (current !== version) {
      for (const raw of await store.kv.members(REVOCATIONS_SET)) {
        const revocation = decode(raw);
        if (revocation) apply(revocation);
      }
      version = current;
    }
    dropExpired();
    lastSyncAt = now();
  }

  const unsubscribe = await store.pubsub.subscribe(REVOCATIONS_CHANNEL, (message) => {
    const revocation = decode(message);
    if (!revocation) return;
    lastLagMs = Math.max(0, now() - revocation.at);
    apply(revocation);
  });
  await sync();
  const timer = setInterval(() => sync().catch(onError), syncIntervalMs);
  timer.unref();

  return {
    isRevoked({ jti, iat, clientId, userId }) {
      if (now() - lastSyncAt > maxStalenessMs) {
        throw new Problem('service_unavailable', { detail: 'token revocation status cannot be confirmed' });
      }
      if ((tokens.get(jti) ?? 0) > now() / 1000) return true;
      const client = notBefore.client.get(clientId);
      if (client && iat <= client.notBefore) return true;
      const user = userId === undefined ? undefined : notBefore.user.get(userId);
      return user !== undefined && iat <= user.notBefore;
    },
    onClientChange(listener) {
      listeners.push(listener);
    },
    stats() {
      return { lastLagMs, lastSyncAt, entries: tokens.size + notBefore.client.size + notBefore.user.size };
    },
    async close() {
      clearInterval(timer);
      await unsubscribe();
    },
  };
}
