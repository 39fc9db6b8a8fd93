// @passerelle/store: shared ephemeral state (OIDC artifacts, the revocation
// deny-list, replay and idempotency keys, rate limits) on Redis in the shared
// mode and in process memory in the embedded mode, behind one interface.
export type {
  KeyValueStore, PubSub, LimiterOptions, LimiterFallbackEvent, Store, StoreTarget, OpenStoreOptions,
} from './types.ts';
export { StoreUnavailableError } from './errors.ts';
export { openStore } from './open.ts';
