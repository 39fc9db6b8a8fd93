// What a partner may send about an order. Every field is bounded; identifiers
// (reference, sku, currency) have a strict alphabet, so injection payloads are
// refused there, and free text (item names, notes) is stored as plain data
// after refusing what PostgreSQL or a log line would choke on: control
// characters (NUL above all) and lone UTF-16 surrogates.
import { z } from 'zod';

const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function freeText(max: number) {
  return z.string().min(1).max(max)
    .refine((v) => !controlChars.test(v), 'must not contain control characters')
    .refine((v) => !loneSurrogate.test(v), 'must be well-formed Unicode');
}

export const orderStatuses = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

const reference = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/, 'letters, digits and . _ - /, 1 to 64 characters, starting with a letter or digit');
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

export const MAX_ITEMS = 100;
const item = z.strictObject({
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits and . _ -, 1 to 64 characters'),
  name: freeText(200),
  quantity: z.number().int().min(1).max(10_000),
  /** Price of one unit in the currency's minor unit (cents for EUR). */
  unit_price_minor: z.number().int().min(0).max(1_000_000_000),
});

/** POST /v1/orders: a new order starts `pending`. */
export const newOrder = z.strictObject({
  reference,
  currency,
  items: z.array(item).min(1).max(MAX_ITEMS),
  notes: freeText(1000).optional(),
});

/** PUT /v1/orders/{id}: the whole order, as it should now be. */
export const orderReplacement = newOrder.extend({
  status: z.enum(orderStatuses),
});

export type NewOrder = z.output<typeof newOrder>;
export type OrderReplacement = z.output<typeof orderReplacement>;
export type OrderItem = z.output<typeof item>;

const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

/** GET /v1/orders query: filters and paging. */
export const orderListQuery = z.strictObject({
  status: z.enum(orderStatuses).optional(),
  created_after: instant.optional(),
  created_before: instant.optional(),
  limit: z.string().regex(/^\d{1,3}$/, 'an integer from 1 to 100').transform(Number)
    .pipe(z.number().int().min(1).max(100)).default(20),
  cursor: z.string().max(200).optional(),
});

export type OrderListQuery = z.output<typeof orderListQuery>;

/** The Idempotency-Key header: printable ASCII, 1 to 255 characters. */
export const idempotencyKey = z.string().regex(/^[\x20-\x7E]{1,255}$/, 'printable ASCII, 1 to 255 characters');
