// @passerelle/revocation: the deny-list for JWT access tokens. oidc-provider
// never stores JWT access tokens, so revoking one means remembering its `jti`
// until it would have expired anyway, or a "not before" for its client or user.
// Writers (auth, admin, logout) use the writer; each API process checks tokens
// against its own in-memory mirror.
export { createRevocationWriter, type RevocationWriter, type RevocationWriterOptions } from './writer.ts';
export { openRevocationMirror, type RevocationMirror, type RevocationMirrorOptions, type TokenFacts } from './mirror.ts';
export type { ClientChange, ListEntry, Revocation } from './entries.ts';
export { createClientCache, type ClientCache, type ClientCacheOptions } from './client-cache.ts';
