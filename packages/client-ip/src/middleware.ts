// Sets the request's `ip` (Koa's `ctx.ip`, which logs, lockouts, audit events
// and the IP allowlist all read) to the client address as resolved here, once,
// first thing in each service: Koa's own proxy handling would believe any
// X-Forwarded-For from anyone once switched on. An address that cannot be
// determined is the empty string, which no allowlist admits.
import { createAddressResolver } from './client-address.ts';

/** The part of a Koa context this middleware touches (no dependency on Koa itself). */
export interface AddressContext {
  req: { socket: { remoteAddress?: string | undefined } };
  request: { ip: string };
  get(field: string): string;
}

export function clientAddress(trustedProxies: readonly string[]) {
  const resolve = createAddressResolver(trustedProxies);
  return function resolveClientAddress(ctx: AddressContext, next: () => Promise<unknown>): Promise<unknown> {
    ctx.request.ip = resolve(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for') || undefined) ?? '';
    return next();
  };
}
