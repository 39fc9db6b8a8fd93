// IP allowlist entries (seed: IP filtering). An entry is an IPv4 or IPv6 CIDR;
// a bare address means that one address (/32 or /128). Entries are stored in
// canonical form so that the same network is always written the same way.
// Enforcement (token endpoint and API) lives with the guard; this module only
// decides what a well-formed entry is.
import { isIPv4, isIPv6 } from 'node:net';

/** The canonical form of a CIDR, or undefined when it is malformed. */
export function canonicalCidr(value: string): string | undefined {
  const trimmed = value.trim();
  const slash = trimmed.indexOf('/');
  const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const prefix = slash === -1 ? undefined : trimmed.slice(slash + 1);
  const max = isIPv4(address) ? 32 : isIPv6(address) && !address.includes('%') ? 128 : undefined;
  if (max === undefined) return undefined;
  if (prefix === undefined) return `${address.toLowerCase()}/${max}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return undefined;
  return `${address.toLowerCase()}/${Number(prefix)}`;
}

export function isCidr(value: string): boolean {
  return canonicalCidr(value) !== undefined;
}
