// A client's IP allowlist (seed: IP filtering): the CIDR ranges an admin set on
// the client. An empty list lets any address through; otherwise the caller's
// address must fall in one of the ranges, and a caller whose address is unknown
// (unparseable) is refused. The lists come from the database, already checked
// by the registry: an entry that still does not parse matches nothing rather
// than failing the request, so one bad row can never open or break a client.
import { inRange, parseAddress, parseRange, type Range } from './ranges.ts';

// Policies are cached objects, so their lists are compiled once per instance.
const compiled = new WeakMap<readonly string[], Range[]>();

function rangesOf(allowlist: readonly string[]): Range[] {
  let ranges = compiled.get(allowlist);
  if (!ranges) {
    ranges = allowlist.map(parseRange).filter((r): r is Range => r !== undefined);
    compiled.set(allowlist, ranges);
  }
  return ranges;
}

export function isAddressAllowed(allowlist: readonly string[], address: string | undefined): boolean {
  if (allowlist.length === 0) return true;
  const parsed = address === undefined ? undefined : parseAddress(address);
  if (!parsed) return false;
  return rangesOf(allowlist).some((range) => inRange(parsed, range));
}
