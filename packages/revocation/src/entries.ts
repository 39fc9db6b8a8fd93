// What a revocation says, and how it travels: as a member of one set in the
// store (so a process that starts, or missed a broadcast, can read them all) and
// as a pub/sub message (so running processes hear it at once). Revocations are
// never undone: a process may merge what it hears in any order.
// A client change notice travels the same way but revokes nothing: it tells
// every process that caches the client (or its partner's status) to read it
// again, after an admin changed it (allowlist, scopes, secret, status).

/** Times are epoch seconds, like JWT `iat`/`exp`; `at` is when it was written, in ms (for lag). */
export type Revocation =
  | { kind: 'token'; jti: string; until: number; at: number }
  /** An API key (by its id): `until` only bounds how long processes remember it, the database keeps it revoked. */
  | { kind: 'api_key'; id: string; until: number; at: number }
  | { kind: 'client' | 'user'; id: string; notBefore: number; until: number; at: number };

/** Kept in the set until `until` only so a process that missed the broadcast still hears it at its next sync. */
export interface ClientChange {
  kind: 'client-change';
  id: string;
  until: number;
  at: number;
}

export type ListEntry = Revocation | ClientChange;

export const REVOCATIONS_SET = 'revocation:entries';
export const REVOCATIONS_VERSION = 'revocation:version';
export const REVOCATIONS_CHANNEL = 'revocation';

export function encode(entry: ListEntry): string {
  return JSON.stringify(entry);
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 512;
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Parses a stored or broadcast entry; undefined for anything malformed. */
export function decode(raw: string): ListEntry | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || !isTime(value['until']) || !isTime(value['at'])) return undefined;
  const { kind, until, at } = value as { kind: unknown; until: number; at: number };
  if (kind === 'token' && isString(value['jti'])) return { kind, jti: value['jti'], until, at };
  if (kind === 'client-change' && isString(value['id'])) return { kind, id: value['id'], until, at };
  if (kind === 'api_key' && isString(value['id'])) return { kind, id: value['id'], until, at };
  if ((kind === 'client' || kind === 'user') && isString(value['id']) && isTime(value['notBefore'])) {
    return { kind, id: value['id'], notBefore: value['notBefore'], until, at };
  }
  return undefined;
}
