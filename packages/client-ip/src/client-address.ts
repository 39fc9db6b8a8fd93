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

/** Recent answers kept (the resolution is a pure function of its two inputs); a flood of new ones only clears it. */
const MEMO_ENTRIES = 1_024;
/** Longer X-Forwarded-For values are resolved every time, so the memo stays small. */
const MEMO_MAX_FORWARDED = 256;

export function createAddressResolver(trustedProxies: readonly string[]): AddressResolver {
  const proxies = parseRanges(trustedProxies);
  const trusted = (address: Address) => proxies.some((range: Range) => inRange(address, range));
  // Keep-alive connections and a proxy's few addresses repeat the same inputs request after request.
  const memo = new Map<string, string | undefined>();

  return function memoizedResolve(remoteAddress, forwardedFor) {
    if (forwardedFor !== undefined && forwardedFor.length > MEMO_MAX_FORWARDED) return resolveClientAddress(remoteAddress, forwardedFor);
    const key = `${remoteAddress ?? ''}\0${forwardedFor ?? ''}`;
    if (memo.has(key)) return memo.get(key);
    const address = resolveClientAddress(remoteAddress, forwardedFor);
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(key, address);
    return address;
  };

  function resolveClientAddress(remoteAddress: string | undefined, forwardedFor: string | undefined): string | undefined {
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
  }
}
