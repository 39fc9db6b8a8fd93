// Portal sessions (backend-for-frontend): the browser holds a random 256-bit
// handle in an HttpOnly cookie; everything else (who signed in, the ID token
// for the logout hint) stays in the store under the handle's SHA-256, so a
// store dump yields no usable cookie. A session ends at sign-out, when left
// unused for PORTAL_SESSION_IDLE, and PORTAL_SESSION_TTL after the sign-in
// however busy it is (OWASP Session Management: idle and absolute timeouts).
// The last use is kept under its own key, so refreshing it can never bring
// back a session that a concurrent sign-out removed.
import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '@passerelle/store';

export interface PortalSession {
  /** A random id naming the session in CSRF bindings and logs; not the cookie value. */
  id: string;
  userId: string;
  /** Kept for RP-initiated logout (`id_token_hint`); no access token is kept. */
  idToken: string;
  createdAt: number;
}

export interface SessionLifetimes {
  /** Absolute: from the sign-in. */
  ttlSeconds: number;
  /** From the last request that used the session. */
  idleSeconds: number;
}

const digest = (handle: string) => createHash('sha256').update(handle).digest('base64url');
const keyOf = (handle: string) => `portal:session:${digest(handle)}`;
const lastUseOf = (handle: string) => `portal:session-used:${digest(handle)}`;
const wellFormed = /^[\w-]{43}$/;

export interface Sessions {
  /** Stores a new session; returns the cookie value. */
  create(session: Omit<PortalSession, 'id' | 'createdAt'>): Promise<{ handle: string; session: PortalSession }>;
  /** The live session, counting this as a use; undefined (and ended) when idle or too old. */
  find(handle: string | undefined): Promise<PortalSession | undefined>;
  destroy(handle: string | undefined): Promise<PortalSession | undefined>;
}

export function createSessions(kv: KeyValueStore, { ttlSeconds, idleSeconds }: SessionLifetimes, now: () => number = Date.now): Sessions {
  const used = (handle: string, at: number, endsAt: number) =>
    kv.set(lastUseOf(handle), String(at), Math.max(1, Math.min(idleSeconds, Math.ceil((endsAt - at) / 1000))));

  async function destroy(handle: string | undefined): Promise<PortalSession | undefined> {
    if (!handle || !wellFormed.test(handle)) return undefined;
    const stored = await kv.take(keyOf(handle));
    await kv.delete(lastUseOf(handle));
    return stored ? (JSON.parse(stored) as PortalSession) : undefined;
  }

  return {
    async create(fields) {
      const handle = randomBytes(32).toString('base64url');
      const session: PortalSession = { ...fields, id: randomBytes(16).toString('base64url'), createdAt: now() };
      await kv.set(keyOf(handle), JSON.stringify(session), ttlSeconds);
      await used(handle, session.createdAt, session.createdAt + ttlSeconds * 1000);
      return { handle, session };
    },
    async find(handle) {
      if (!handle || !wellFormed.test(handle)) return undefined;
      const [stored, lastUse] = await kv.getMany([keyOf(handle), lastUseOf(handle)]);
      if (!stored) return undefined;
      const session = JSON.parse(stored) as PortalSession;
      const at = now();
      const endsAt = session.createdAt + ttlSeconds * 1000;
      if (lastUse === undefined || at - Number(lastUse) > idleSeconds * 1000 || at >= endsAt) {
        await destroy(handle);
        return undefined;
      }
      await used(handle, at, endsAt);
      return session;
    },
    destroy,
  };
}
