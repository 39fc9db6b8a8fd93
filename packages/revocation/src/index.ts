// The deny-list for JWT access tokens. oidc-provider never stores JWT access
// tokens, so revoking one means remembering its `jti` until it would have
// expired anyway; the resource server consults this list on every request.
import type { KeyValueStore } from '@passerelle/store';

export interface RevocableToken {
  jti: string;
  exp: number;
}

export interface RevocationList {
  /** Denies the token until its own expiry. */
  revoke(token: RevocableToken): Promise<void>;
  isRevoked(token: RevocableToken): Promise<boolean>;
}

export interface RevocationOptions {
  now?: () => number;
}

const jtiKey = (jti: string) => `revocation:jti:${jti}`;

export function createRevocationList(kv: KeyValueStore, { now = Date.now }: RevocationOptions = {}): RevocationList {
  return {
    async revoke({ jti, exp }) {
      const ttl = Math.max(1, Math.ceil(exp - now() / 1000));
      await kv.set(jtiKey(jti), '1', ttl);
    },
    async isRevoked({ jti }) {
      return kv.exists(jtiKey(jti));
    },
  };
}
