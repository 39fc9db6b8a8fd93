// Addresses and CIDR ranges, IPv4 and IPv6, through ipaddr.js. Only the plain
// notations are accepted (dotted-quad IPv4, RFC 4291 IPv6): `0x7f.1` or `127.1`
// would parse in some libraries and mean something nobody reviewing a list
// expects. An IPv4 address that reaches us as IPv4-mapped IPv6
// (`::ffff:192.0.2.1`, what a dual-stack socket reports) is the IPv4 address it
// carries, and a range written in that form (`::ffff:192.0.2.0/120`) the IPv4
// range it covers, so one entry matches whatever stack the connection used.
import ipaddr from 'ipaddr.js';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Range = readonly [Address, number];

function strictAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) {
    const v6 = ipaddr.IPv6.parse(text);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return undefined;
}

/** Parses one address; undefined when it is not a plain IPv4 or IPv6 address. */
export function parseAddress(text: string): Address | undefined {
  return strictAddress(text.trim());
}

/** Parses `address/prefix`, or a bare address as a single-host range; undefined when malformed. */
export function parseRange(text: string): Range | undefined {
  const [host, prefixText, extra] = text.trim().split('/');
  if (host === undefined || extra !== undefined) return undefined;
  const raw = host.includes(':') && ipaddr.IPv6.isValid(host) ? ipaddr.IPv6.parse(host) : strictAddress(host);
  if (!raw) return undefined;
  const max = raw.kind() === 'ipv4' ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  if (raw.kind() === 'ipv6' && (raw as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (prefix < 96) return undefined; // would cover more than the mapped IPv4 space
    return [(raw as ipaddr.IPv6).toIPv4Address(), prefix - 96];
  }
  return [raw, prefix];
}

/** True when `text` is an address or an `address/prefix` range this module accepts. */
export function isCidr(text: string): boolean {
  return parseRange(text) !== undefined;
}

/** True when the range `inner` lies entirely inside the range `outer` (both as parseRange reads them). */
export function isRangeWithin(inner: string, outer: string): boolean {
  const a = parseRange(inner);
  const b = parseRange(outer);
  return a !== undefined && b !== undefined && a[1] >= b[1] && inRange(a[0], b);
}

export function inRange(address: Address, [network, prefix]: Range): boolean {
  return address.kind() === network.kind() && address.match(network, prefix);
}

/** Compiles a list of ranges; throws on the first malformed entry, naming it. */
export function parseRanges(entries: readonly string[]): Range[] {
  return entries.map((entry) => {
    const range = parseRange(entry);
    if (!range) throw new TypeError(`not an IP address or CIDR range: ${entry}`);
    return range;
  });
}
