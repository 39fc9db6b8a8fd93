// Keyset pagination: a cursor names the last row of the previous page by its
// (time, id) pair, so pages stay stable while rows are added, and no offset
// scan grows with the page number. Cursors are opaque to callers (base64url).
import { Problem } from '@passerelle/errors';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id)) {
      return { at: new Date(at), id };
    }
  } catch {
    // fall through
  }
  throw new Problem('validation_failed', { detail: 'cursor: not a cursor this API returned', errors: [{ path: 'cursor', message: 'not a cursor this API returned' }] });
}

/** Rows strictly after `position` in (field, id) order, ascending or descending. */
export function after<F extends string>(field: F, position: Position | undefined, direction: 'asc' | 'desc') {
  if (!position) return {};
  const op = direction === 'asc' ? 'gt' : 'lt';
  return { OR: [{ [field]: { [op]: position.at } }, { [field]: position.at, id: { [op]: position.id } }] };
}

/** Fetch `limit + 1` rows, give back `limit` and a cursor when there was one more. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, at: (row: R) => Date, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    ...(rows.length > limit && last ? { nextCursor: encodeCursor({ at: at(last), id: last.id }) } : {}),
  };
}
