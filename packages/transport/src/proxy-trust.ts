// Forwarded headers are believed only from a declared proxy (TRUSTED_PROXIES).
// A request from any other peer has its X-Forwarded-* / Forwarded headers
// removed before the application sees them, so neither `ctx.ip` (limits,
// allowlists, audit) nor `ctx.protocol` (HSTS) can be set by a client. From a
// trusted proxy, X-Forwarded-For is reduced to the one address
// @passerelle/client-ip resolves (the right-most hop that is not our proxy),
// which is what Koa reads with `proxy = true` and what the allowlist resolves too.
import type { IncomingMessage } from 'node:http';
import { createAddressResolver, isAddressAllowed } from '@passerelle/client-ip';

export interface ProxyTrust {
  /** True when at least one proxy is declared (the app should set `proxy = true`). */
  readonly enabled: boolean;
  trusts(address: string | undefined): boolean;
  /** Removes or normalizes the forwarded headers of `req`, in place. */
  sanitize(req: IncomingMessage): void;
}

const forwarded = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'];

export function createProxyTrust(proxies: readonly string[]): ProxyTrust {
  const resolve = createAddressResolver(proxies);
  const trusts = (address: string | undefined) => proxies.length > 0 && address !== undefined && isAddressAllowed(proxies, address);

  return {
    enabled: proxies.length > 0,
    trusts,
    sanitize(req) {
      const peer = req.socket.remoteAddress;
      if (!trusts(peer)) {
        for (const name of forwarded) delete req.headers[name];
        return;
      }
      const header = req.headers['x-forwarded-for'];
      const client = resolve(peer, Array.isArray(header) ? header.join(',') : header);
      if (client) req.headers['x-forwarded-for'] = client;
      else delete req.headers['x-forwarded-for'];
    },
  };
}
