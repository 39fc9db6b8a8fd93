// Idempotency-Key on POST /v1/orders (draft-ietf-httpapi-idempotency-key-header):
// - keys are scoped per client and kept in the database until they expire;
// - the key row is inserted in the same transaction as the order, first: a
//   concurrent retry blocks on the primary key until the first commits, then
//   fails on it and replays the stored response, so two rows never exist;
// - the same key with a different request is refused (422), since replaying
//   the first answer to a different question would mislead the partner.
import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import type { OrderView } from './view.ts';

export interface StoredResponse {
  order: OrderView;
  etag: string;
}

export interface IdempotencyScope {
  clientId: string;
  key: string;
  requestHash: string;
}

export function requestHashOf(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/** Expired keys removed per claim: the table stays bounded without a background job. */
const SWEEP_BATCH = 100;

/** Claims the key inside `tx`; throws Prisma's P2002 when another request holds it. */
export async function claimKey(tx: Prisma.TransactionClient, scope: IdempotencyScope, ttlMs: number): Promise<void> {
  const now = new Date();
  await tx.idempotencyKey.deleteMany({ where: { clientId: scope.clientId, key: scope.key, expiresAt: { lte: now } } });
  // Any client's expired keys, a few at a time; rows another transaction holds are
  // skipped, not waited for. Prisma keeps DateTime columns as UTC wall time.
  await tx.$executeRaw`DELETE FROM idempotency_keys WHERE ctid IN (
    SELECT ctid FROM idempotency_keys WHERE expires_at <= (now() AT TIME ZONE 'UTC')
    LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)`;
  await tx.idempotencyKey.create({
    data: { clientId: scope.clientId, key: scope.key, requestHash: scope.requestHash, expiresAt: new Date(now.getTime() + ttlMs) },
  });
}

export async function storeResponse(tx: Prisma.TransactionClient, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await tx.idempotencyKey.update({
    where: { clientId_key: { clientId: scope.clientId, key: scope.key } },
    data: { response: response as unknown as Prisma.InputJsonValue },
  });
}

/** The first response given for this key, or undefined when the key is not (or no longer) held. */
export async function replay(prisma: PrismaClient, scope: IdempotencyScope): Promise<StoredResponse | undefined> {
  const row = await prisma.idempotencyKey.findUnique({ where: { clientId_key: { clientId: scope.clientId, key: scope.key } } });
  if (!row || row.expiresAt <= new Date() || row.response === null) return undefined;
  if (row.requestHash !== scope.requestHash) throw new Problem('idempotency_key_reused');
  return row.response as unknown as StoredResponse;
}
