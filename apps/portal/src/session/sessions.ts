// Portal sessions (backend-for-frontend): the browser holds a random 256-bit
// handle in an HttpOnly cookie; everything else (who signed in, the tokens the
// auth service issued) stays in the store under the handle's SHA-256, so a
// store dump yields no usable cookie. Sessions expire with PORTAL_SESSION_TTL
// and end at sign-out.
import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '@passerelle/store';

export interface PortalSession {
  /** A random id naming the session in CSRF bindings and logs; not the cookie value. */
  id: string;
  userId: string;
  /** Kept for RP-initiated logout (`id_token_hint`). */
  idToken: string;
  accessToken: string;
  createdAt: number;
}

const keyOf = (handle: string) => `portal:session:${createHash('sha256').update(handle).digest('base64url')}`;
const wellFormed = /^[\w-]{43}$/;

export interface Sessions {
  /** Stores a new session; returns the cookie value. */
  create(session: Omit<PortalSession, 'id' | 'createdAt'>): Promise<{ handle: string; session: PortalSession }>;
  find(handle: string | undefined): Promise<PortalSession | undefined>;
  destroy(handle: string | undefined): Promise<PortalSession | undefined>;
}

export function createSessions(kv: KeyValueStore, ttlSeconds: number, now: () => number = Date.now): Sessions {
  return {
    async create(fields) {
      const handle = randomBytes(32).toString('base64url');
      const session: PortalSession = { ...fields, id: randomBytes(16).toString('base64url'), createdAt: now() };
      await kv.set(keyOf(handle), JSON.stringify(session), ttlSeconds);
      return { handle, session };
    },
    async find(handle) {
      if (!handle || !wellFormed.test(handle)) return undefined;
      const stored = await kv.get(keyOf(handle));
      return stored ? (JSON.parse(stored) as PortalSession) : undefined;
    },
    async destroy(handle) {
      if (!handle || !wellFormed.test(handle)) return undefined;
      const stored = await kv.take(keyOf(handle));
      return stored ? (JSON.parse(stored) as PortalSession) : undefined;
    },
  };
}
