export { createAddressResolver, type AddressResolver } from './client-address.ts';
export { isAddressAllowed } from './allowlist.ts';
export { isCidr, isRangeWithin, parseAddress, parseRange } from './ranges.ts';
export { clientAddress, type AddressContext } from './middleware.ts';
