// The wire shape of an order (snake_case, as the rest of the API) and its ETag.
// Amounts are integers in minor units; the total is computed, never sent.
import type { Order } from '@passerelle/db';
import type { OrderItem, OrderStatus } from './inputs.ts';

export interface OrderView {
  id: string;
  reference: string;
  status: OrderStatus;
  currency: string;
  items: OrderItem[];
  total_minor: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export function totalOf(items: readonly OrderItem[]): bigint {
  return items.reduce((sum, i) => sum + BigInt(i.quantity) * BigInt(i.unit_price_minor), 0n);
}

export function viewOf(order: Order): OrderView {
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    currency: order.currency,
    items: order.items as unknown as OrderItem[],
    total_minor: Number(order.totalMinor),
    notes: order.notes,
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
  };
}

/** A strong ETag: the order's version counter (RFC 9110 §8.8.3). */
export function etagOf(order: Pick<Order, 'version'>): string {
  return `"v${order.version}"`;
}

/**
 * RFC 9110 §13.1.1: If-Match uses the strong comparison, so a weak tag never
 * matches; `*` matches any current version.
 */
export function ifMatchAllows(header: string, order: Pick<Order, 'version'>): boolean {
  const current = etagOf(order);
  return header.split(',').map((t) => t.trim()).some((t) => t === '*' || t === current);
}
