// /v1/orders, typed: the wire shapes of the API (snake_case, amounts in minor units).
import type { ApiResponse, CallOptions } from './client.ts';

export type OrderStatus = 'pending' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
}

export interface NewOrder {
  reference: string;
  /** ISO 4217, e.g. 'EUR'. */
  currency: string;
  items: OrderItem[];
  notes?: string;
}

export interface Order extends Required<Omit<NewOrder, 'notes'>> {
  id: string;
  status: OrderStatus;
  notes: string | null;
  total_minor: number;
  created_at: string;
  updated_at: string;
}

export interface OrderQuery {
  status?: OrderStatus;
  created_after?: string;
  created_before?: string;
  limit?: number;
  cursor?: string;
}

export interface OrderPage {
  data: Order[];
  next_cursor: string | null;
}

type Call = <T>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;

export interface Orders {
  list(query?: OrderQuery): Promise<OrderPage>;
  get(id: string): Promise<ApiResponse<Order>>;
  /** With an idempotency key, a retried create never makes a second order. */
  create(order: NewOrder, options?: { idempotencyKey?: string }): Promise<ApiResponse<Order>>;
  /** `etag` is the version read last: a change made meanwhile answers 412 (precondition_failed). */
  replace(id: string, order: NewOrder & { status: OrderStatus }, etag: string): Promise<ApiResponse<Order>>;
  remove(id: string, etag: string): Promise<void>;
}

export function ordersOf(call: Call): Orders {
  const one = (id: string) => `/v1/orders/${encodeURIComponent(id)}`;
  return {
    async list(query = {}) {
      const params = new URLSearchParams(Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)])).toString();
      const search = params ? `?${params}` : '';
      return (await call<OrderPage>('GET', `/v1/orders${search}`)).body;
    },
    get: (id) => call<Order>('GET', one(id)),
    create: (order, options = {}) => call<Order>('POST', '/v1/orders', { body: order, ...options }),
    replace: (id, order, etag) => call<Order>('PUT', one(id), { body: order, ifMatch: etag }),
    async remove(id, etag) {
      await call('DELETE', one(id), { ifMatch: etag });
    },
  };
}
