export { SIGNING_ALG, createSigningKey, ensureSigningKey, loadKeyring, type Keyring } from './keyring.ts';
export { SealError, seal, unseal } from './sealed.ts';
