// A partner's side of the orders API, for tests.
import { getToken, registerClient, type TestClient } from './oauth.ts';
import type { Stack } from './stack.ts';

export interface OrderCaller {
  client: TestClient;
  token: string;
  /** Calls the API as this client; a non-string body is sent as JSON. */
  call(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export async function orderCaller(stack: Stack, scopes = ['orders:read', 'orders:write']): Promise<OrderCaller> {
  // premium: these tests send bursts of requests and are not about rate limits
  const client = await registerClient(stack, scopes, { signaturePolicy: 'off', rateTier: 'premium' });
  const token = await getToken(stack, client, scopes.join(' '));
  return {
    client,
    token,
    call(method, path, init = {}) {
      const body = init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      return fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(body !== undefined ? { body } : {}),
      });
    },
  };
}

let counter = 0;

/** A valid new order; `reference` is unique per call unless given. */
export function sampleOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    reference: `PO-${process.pid}-${counter}`,
    currency: 'EUR',
    items: [{ sku: 'SKU-1', name: 'Blue widget', quantity: 2, unit_price_minor: 1250 }],
    ...overrides,
  };
}
