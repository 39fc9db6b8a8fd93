// Which address a request comes from. X-Forwarded-For is written by whoever
// sends the request, so it is believed only when the connection itself comes
// from a proxy we run (TRUSTED_PROXIES; none by default, and then the header is
// ignored entirely). Even then it is read from the right: each trusted proxy
// appends the address it received the request from, so the client is the
// right-most hop that is not one of our proxies. Whatever a client writes into
// the header itself sits to the left of that hop and is never read.
import { inRange, parseAddress, parseRanges, type Address, type Range } from './ranges.ts';

/** Resolves the socket's peer and the X-Forwarded-For header to the client's address. */
export type AddressResolver = (remoteAddress: string | undefined, forwardedFor: string | undefined) => string | undefined;

/** `198.51.100.7`, `198.51.100.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`. */
function parseHop(hop: string): Address | undefined {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return parseAddress(bracketed[1]!);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return parseAddress(v4WithPort ? v4WithPort[1]! : text);
}

export function createAddressResolver(trustedProxies: readonly string[]): AddressResolver {
  const proxies = parseRanges(trustedProxies);
  const trusted = (address: Address) => proxies.some((range: Range) => inRange(address, range));

  return function resolveClientAddress(remoteAddress, forwardedFor) {
    const peer = remoteAddress === undefined ? undefined : parseAddress(remoteAddress);
    if (!peer) return undefined;
    if (proxies.length === 0 || !forwardedFor || !trusted(peer)) return peer.toString();

    const hops = forwardedFor.split(',');
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = parseHop(hops[i]!);
      // A hop our proxy could not have written: the client's address is unknown.
      if (!hop) return undefined;
      client = hop;
      if (!trusted(hop)) break;
    }
    return client.toString();
  };
}
