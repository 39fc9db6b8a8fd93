// Writes revocations: the auth service (RFC 7009 revocation), the admin domain
// (client disabled, deleted, secret rotated; API key revoked) and logout /
// password change all come through here. Each revocation is added to the shared set first and
// broadcast second, so a mirror that misses the broadcast still finds it at its
// next sync. A "not before" for a subject lasts as long as any access token
// issued before it could still be valid (`subjectRetentionSeconds`).
import type { Store } from '@passerelle/store';
import { REVOCATIONS_CHANNEL, REVOCATIONS_SET, REVOCATIONS_VERSION, decode, encode, type ListEntry } from './entries.ts';

export interface RevocationWriter {
  /** Denies one access token (by `jti`) until its own expiry. */
  revokeToken(token: { jti: string; exp: number }): Promise<void>;
  /** Denies every token of the client issued at or before `notBefore` (epoch seconds; default now). */
  revokeClient(clientId: string, notBefore?: number): Promise<void>;
  /** Denies every token of the user issued at or before `notBefore` (epoch seconds; default now). */
  revokeUser(userId: string, notBefore?: number): Promise<void>;
  /**
   * Revokes nothing: tells every process caching the client to read it again.
   * Sent after the change is committed, so whoever reads on hearing it reads the change.
   */
  announceClientChange(clientId: string): Promise<void>;
  /**
   * Tells every API process that the API key is revoked, so each drops it from
   * its cache and refuses it at once. The database is the record; this entry is
   * kept `apiKeyRetentionSeconds`, far longer than any process caches a key.
   */
  revokeApiKey(keyId: string): Promise<void>;
}

export interface RevocationWriterOptions {
  /** Longest access-token lifetime in seconds: how long a subject's "not before" must be kept. */
  subjectRetentionSeconds?: number;
  /** How long an API key's revocation stays on the list (default 1 day). */
  apiKeyRetentionSeconds?: number;
  now?: () => number;
}

const VERSION_TTL_SECONDS = 365 * 86_400;
/** A change notice is kept long enough for every mirror to sync past it (they sync every few seconds). */
const CHANGE_RETENTION_SECONDS = 300;

export function createRevocationWriter(store: Pick<Store, 'kv' | 'pubsub'>, options: RevocationWriterOptions = {}): RevocationWriter {
  const now = options.now ?? Date.now;
  const retention = options.subjectRetentionSeconds ?? 86_400;
  const apiKeyRetention = options.apiKeyRetentionSeconds ?? 86_400;

  async function prune(nowSeconds: number): Promise<void> {
    const expired = (await store.kv.members(REVOCATIONS_SET)).filter((raw) => {
      const entry = decode(raw);
      return entry === undefined || entry.until <= nowSeconds;
    });
    if (expired.length > 0) await store.kv.removeFromSet(REVOCATIONS_SET, ...expired);
  }

  async function write(entry: ListEntry): Promise<void> {
    const nowSeconds = Math.floor(entry.at / 1000);
    const member = encode(entry);
    await store.kv.addToSet(REVOCATIONS_SET, member, Math.max(1, entry.until - nowSeconds));
    await store.kv.increment(REVOCATIONS_VERSION, VERSION_TTL_SECONDS);
    await store.pubsub.publish(REVOCATIONS_CHANNEL, member);
    await prune(nowSeconds);
  }

  function subject(kind: 'client' | 'user', id: string, notBefore?: number): Promise<void> {
    const at = now();
    const nb = notBefore ?? Math.floor(at / 1000);
    return write({ kind, id, notBefore: nb, until: nb + retention, at });
  }

  return {
    revokeToken: ({ jti, exp }) => write({ kind: 'token', jti, until: exp, at: now() }),
    revokeClient: (clientId, notBefore) => subject('client', clientId, notBefore),
    revokeUser: (userId, notBefore) => subject('user', userId, notBefore),
    announceClientChange(clientId) {
      const at = now();
      return write({ kind: 'client-change', id: clientId, until: Math.floor(at / 1000) + CHANGE_RETENTION_SECONDS, at });
    },
    revokeApiKey: (keyId) => {
      const at = now();
      return write({ kind: 'api_key', id: keyId, until: Math.floor(at / 1000) + apiKeyRetention, at });
    },
  };
}
