// Keyset pagination: orders are listed newest first by (created_at, id), and the
// cursor names the last one seen. It is opaque to partners (base64url of a
// small JSON) and validated when it comes back, so a forged cursor is a 400,
// never a query fragment; and every query is scoped by partner anyway.
import { z } from 'zod';
import { Problem } from '@passerelle/errors';

export interface Position {
  createdAt: Date;
  id: string;
}

const decoded = z.strictObject({ c: z.iso.datetime(), i: z.uuid() });

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ c: position.createdAt.toISOString(), i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = decoded.safeParse(value);
  if (!parsed.success) {
    throw new Problem('validation_failed', { errors: [{ path: 'cursor', message: 'not a cursor this API returned' }] });
  }
  return { createdAt: new Date(parsed.data.c), id: parsed.data.i };
}
