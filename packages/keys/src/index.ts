export { SIGNING_ALG, createSigningKey, ensureSigningKey, keyringOf, loadKeyring, type Keyring } from './keyring.ts';
export {
  advanceSigningKeys, listSigningKeys, retireSigningKey, signingKeyView, stageSigningKey,
  type AdvanceOptions, type RetireOptions, type SigningKeyView,
} from './lifecycle.ts';
export { watchSigningKeys, type KeyWatcher, type WatchOptions } from './watch.ts';
export { SealError, seal, unseal } from './sealed.ts';
