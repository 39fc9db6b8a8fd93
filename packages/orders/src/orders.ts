// The orders domain. Every read and write is scoped by the caller's partner, so
// another partner's order is indistinguishable from a missing one (404, OWASP
// API1). Every change writes its audit event in the same transaction: if the
// audit row cannot be written, the change does not happen. A refused change
// (missing or foreign order, stale ETag, taken reference, reused key) is
// recorded too, with outcome `failure`, so that probing shows in the trail.
import { Prisma, type Order, type PrismaClient } from '@passerelle/db';
import { Problem, isProblem } from '@passerelle/errors';
import { type Actor, recordSecurityEvent, writeAudit } from '@passerelle/audit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { claimKey, replay, requestHashOf, storeResponse, type IdempotencyScope } from './idempotency.ts';
import type { NewOrder, OrderListQuery, OrderReplacement } from './inputs.ts';
import { etagOf, ifMatchAllows, totalOf, viewOf, type OrderView } from './view.ts';

/** Whose orders: the partner owns them, the client is who holds idempotency keys. */
export interface Owner {
  partnerId: string;
  clientId: string;
}

export interface OrderResult {
  order: OrderView;
  etag: string;
}

export interface CreateResult extends OrderResult {
  /** True when this answers a retry of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export interface OrdersOptions {
  /** How long an Idempotency-Key is remembered (24 h by default). */
  idempotencyTtlMs?: number;
  /** Told when the failure event of a refused change could not be written (the refusal stands). */
  onAuditError?: (err: unknown) => void;
}

type Action = 'order.create' | 'order.update' | 'order.delete';

const uuid = z.uuid();

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

const referenceTaken = (cause: unknown) => new Problem('conflict', { detail: 'Another order of yours already has this reference.', cause });

function resultOf(order: Order): OrderResult {
  return { order: viewOf(order), etag: etagOf(order) };
}

function fieldsOf(input: NewOrder) {
  return {
    reference: input.reference,
    currency: input.currency,
    items: input.items as unknown as Prisma.InputJsonValue,
    totalMinor: totalOf(input.items),
    notes: input.notes ?? null,
  };
}

export function createOrders(prisma: PrismaClient, options: OrdersOptions = {}) {
  const idempotencyTtlMs = options.idempotencyTtlMs ?? 24 * 60 * 60 * 1000;

  /** Runs a change; a 4xx refusal is recorded as a failure event, then rethrown. */
  async function refusalsRecorded<T>(actor: Actor, owner: Owner, action: Action, id: string | undefined, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (err) {
      if (isProblem(err) && err.status < 500) {
        const targetId = id !== undefined && uuid.safeParse(id).success ? id : undefined;
        await recordSecurityEvent(prisma, actor, {
          action, targetType: 'order', targetId, partnerId: owner.partnerId, outcome: 'failure', diff: { code: err.code },
        }).catch((auditErr: unknown) => options.onAuditError?.(auditErr));
      }
      throw err;
    }
  }

  /**
   * Another partner's order is not found, exactly as a missing one. The read is a
   * findUnique by id and the partner is compared here, not a findFirst by id and
   * partner: Prisma batches the findUnique calls issued in the same tick (as
   * concurrent requests' are, once the rate limiter's pipelined Redis reply
   * releases them together) into one query, several times cheaper under load
   * than one query each (see README, Performance).
   */
  async function findOwned(tx: Prisma.TransactionClient, owner: Owner, id: string): Promise<Order> {
    const order = uuid.safeParse(id).success ? await tx.order.findUnique({ where: { id } }) : null;
    if (!order || order.partnerId !== owner.partnerId) throw new Problem('not_found');
    return order;
  }

  function create(actor: Actor, owner: Owner, input: NewOrder, idempotencyKey?: string): Promise<CreateResult> {
    return refusalsRecorded(actor, owner, 'order.create', undefined, () => createOnce(actor, owner, input, idempotencyKey));
  }

  async function createOnce(actor: Actor, owner: Owner, input: NewOrder, idempotencyKey?: string): Promise<CreateResult> {
    const scope: IdempotencyScope | undefined = idempotencyKey === undefined
      ? undefined
      : { clientId: owner.clientId, key: idempotencyKey, requestHash: requestHashOf(input) };
    try {
      return await prisma.$transaction(async (tx) => {
        if (scope) await claimKey(tx, scope, idempotencyTtlMs);
        const order = await tx.order.create({ data: { partnerId: owner.partnerId, ...fieldsOf(input) } });
        const result = resultOf(order);
        await writeAudit(tx, actor, {
          action: 'order.create', targetType: 'order', targetId: order.id, partnerId: owner.partnerId, diff: { after: result.order },
        });
        if (scope) await storeResponse(tx, scope, result);
        return { ...result, replayed: false };
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const earlier = scope ? await replay(prisma, scope) : undefined;
      if (earlier) return { ...earlier, replayed: true };
      throw referenceTaken(err);
    }
  }

  async function list(owner: Owner, query: OrderListQuery): Promise<{ data: OrderView[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const where: Prisma.OrderWhereInput = {
      partnerId: owner.partnerId,
      AND: [
        query.status ? { status: query.status } : {},
        query.created_after ? { createdAt: { gte: query.created_after } } : {},
        query.created_before ? { createdAt: { lt: query.created_before } } : {},
        after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {},
      ],
    };
    const rows = await prisma.order.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { data: page.map(viewOf), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async function get(owner: Owner, id: string): Promise<OrderResult> {
    return resultOf(await findOwned(prisma, owner, id));
  }

  /** Replaces an order; `ifMatch` (its current ETag) is required, so no update is ever lost. */
  function replace(actor: Actor, owner: Owner, id: string, input: OrderReplacement, ifMatch: string | undefined): Promise<OrderResult> {
    return refusalsRecorded(actor, owner, 'order.update', id, () => replaceOnce(actor, owner, id, input, ifMatch));
  }

  async function replaceOnce(actor: Actor, owner: Owner, id: string, input: OrderReplacement, ifMatch: string | undefined): Promise<OrderResult> {
    try {
      return await prisma.$transaction(async (tx) => {
        const before = await findOwned(tx, owner, id);
        if (ifMatch === undefined) throw new Problem('precondition_required');
        if (!ifMatchAllows(ifMatch, before)) throw new Problem('precondition_failed');
        // The version in the filter makes a concurrent writer's update lose, not overwrite.
        const { count } = await tx.order.updateMany({
          where: { id: before.id, partnerId: owner.partnerId, version: before.version },
          data: { ...fieldsOf(input), status: input.status, version: { increment: 1 } },
        });
        if (count !== 1) throw new Problem('precondition_failed');
        const result = resultOf(await findOwned(tx, owner, id));
        await writeAudit(tx, actor, {
          action: 'order.update', targetType: 'order', targetId: before.id, partnerId: owner.partnerId,
          diff: { before: viewOf(before), after: result.order },
        });
        return result;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw referenceTaken(err);
      throw err;
    }
  }

  /** Deletes an order; an `ifMatch`, when given, must name its current version. */
  function remove(actor: Actor, owner: Owner, id: string, ifMatch: string | undefined): Promise<void> {
    return refusalsRecorded(actor, owner, 'order.delete', id, () => removeOnce(actor, owner, id, ifMatch));
  }

  async function removeOnce(actor: Actor, owner: Owner, id: string, ifMatch: string | undefined): Promise<void> {
    await prisma.$transaction(async (tx) => {
      const before = await findOwned(tx, owner, id);
      if (ifMatch !== undefined && !ifMatchAllows(ifMatch, before)) throw new Problem('precondition_failed');
      const { count } = await tx.order.deleteMany({ where: { id: before.id, partnerId: owner.partnerId, version: before.version } });
      if (count !== 1) throw new Problem('precondition_failed');
      await writeAudit(tx, actor, {
        action: 'order.delete', targetType: 'order', targetId: before.id, partnerId: owner.partnerId, diff: { before: viewOf(before) },
      });
    });
  }

  return { create, list, get, replace, remove };
}

export type Orders = ReturnType<typeof createOrders>;
