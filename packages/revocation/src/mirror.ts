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
import { Problem } from '@passerelle/errors';
import type { Store } from '@passerelle/store';
import { REVOCATIONS_CHANNEL, REVOCATIONS_SET, REVOCATIONS_VERSION, decode, type Revocation } from './entries.ts';

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
  /** Whether the API key (by id) has been revoked; throws like `isRevoked` when too stale. */
  isApiKeyRevoked(keyId: string): boolean;
  /** Called for every revocation this process learns of (caches keyed by client or user drop entries). */
  onRevocation(listener: (revocation: Revocation) => void): void;
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
  const apiKeys = new Map<string, number>();
  type SubjectEntry = { notBefore: number; until: number; at: number };
  const notBefore = { client: new Map<string, SubjectEntry>(), user: new Map<string, SubjectEntry>() };
  const listeners: ((revocation: Revocation) => void)[] = [];
  let version: string | undefined;
  let lastSyncAt = 0;
  let lastLagMs: number | undefined;

  function apply(revocation: Revocation): void {
    if (revocation.kind === 'token') {
      tokens.set(revocation.jti, Math.max(tokens.get(revocation.jti) ?? 0, revocation.until));
    } else if (revocation.kind === 'api_key') {
      // A sync re-reads every entry: tell listeners about a key only once.
      if (apiKeys.has(revocation.id)) return;
      apiKeys.set(revocation.id, revocation.until);
    } else {
      const known = notBefore[revocation.kind].get(revocation.id);
      // A second revocation in the same second changes no "not before", but it
      // is a new change to the subject (say, a disable right after a rotation):
      // listeners still hear it, so caches of the subject drop what they hold.
      if (known && known.notBefore >= revocation.notBefore && known.at >= revocation.at) return;
      if (!known || known.notBefore < revocation.notBefore) {
        notBefore[revocation.kind].set(revocation.id, { notBefore: revocation.notBefore, until: revocation.until, at: revocation.at });
      } else {
        known.at = revocation.at;
      }
    }
    for (const listener of listeners) listener(revocation);
  }

  function dropExpired(): void {
    const nowSeconds = now() / 1000;
    for (const [jti, until] of tokens) if (until <= nowSeconds) tokens.delete(jti);
    for (const [id, until] of apiKeys) if (until <= nowSeconds) apiKeys.delete(id);
    for (const map of Object.values(notBefore)) for (const [id, entry] of map) if (entry.until <= nowSeconds) map.delete(id);
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

  function assertFresh(): void {
    if (now() - lastSyncAt > maxStalenessMs) {
      throw new Problem('service_unavailable', { detail: 'token revocation status cannot be confirmed' });
    }
  }

  return {
    isRevoked({ jti, iat, clientId, userId }) {
      assertFresh();
      if ((tokens.get(jti) ?? 0) > now() / 1000) return true;
      const client = notBefore.client.get(clientId);
      if (client && iat <= client.notBefore) return true;
      const user = userId === undefined ? undefined : notBefore.user.get(userId);
      return user !== undefined && iat <= user.notBefore;
    },
    isApiKeyRevoked(keyId) {
      assertFresh();
      return apiKeys.has(keyId);
    },
    onRevocation(listener) {
      listeners.push(listener);
    },
    stats() {
      return { lastLagMs, lastSyncAt, entries: tokens.size + apiKeys.size + notBefore.client.size + notBefore.user.size };
    },
    async close() {
      clearInterval(timer);
      await unsubscribe();
    },
  };
}
