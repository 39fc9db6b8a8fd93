// Ending everything a user holds, for logout, password change and an operator's
// `users disable|reset-password`, and keeping JWT access tokens in step with
// the grants they came from.
// - oidc-provider never stores JWT access tokens, so revoking a grant (refresh
//   reuse, code replay, logout of one app) would leave its access tokens valid
//   at the API. Each issued token's jti is indexed under its grant, and a
//   revoked grant puts them on the deny-list.
// - Grants and sessions are indexed under their user, so `revokeUser` can end
//   all of them, and it writes the user's "not before" first, so the API
//   refuses every earlier token of the user as soon as its mirror hears of it.
// - The indexing needs the provider (its events); the revoking needs only the
//   store, so the CLI revokes without a running server (`createUserRevoker`).
import type Provider from 'oidc-provider';
import type { Adapter } from 'oidc-provider';
import type { Logger } from '@passerelle/log';
import type { RevocationWriter } from '@passerelle/revocation';
import type { KeyValueStore } from '@passerelle/store';
import { storeAdapters } from './adapter.ts';

const userGrants = (accountId: string) => `oidc:user-grants:${accountId}`;
const userSessions = (accountId: string) => `oidc:user-sessions:${accountId}`;
const grantTokens = (grantId: string) => `oidc:grant-tokens:${grantId}`;

export interface UserRevocationOptions {
  provider: Provider;
  kv: KeyValueStore;
  adapters: (model: string) => Adapter;
  writer: RevocationWriter;
  log: Logger;
  /** How long grants and sessions may live: the indexes are kept that long. */
  retentionSeconds: number;
}

export interface UserRevocation {
  /** Ends every session and grant of the user and refuses every token issued to them so far. */
  revokeUser(accountId: string): Promise<void>;
}

interface Indexed { jti: string; accountId?: string; grantId?: string; iat?: number; exp?: number; expiration?: number }

export interface UserRevokerOptions {
  kv: KeyValueStore;
  writer: RevocationWriter;
  /** The provider's adapters; the store's own when omitted (the CLI). */
  adapters?: (model: string) => Adapter;
  log?: Logger;
}

/** Ends a user's sessions, grants and tokens from the store alone. */
export function createUserRevoker({ kv, writer, adapters = storeAdapters(kv), log }: UserRevokerOptions): UserRevocation & {
  /** Puts every unexpired access token issued from the grant on the deny-list. */
  revokeGrantTokens(grantId: string): Promise<void>;
} {
  async function revokeGrantTokens(grantId: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    for (const member of await kv.members(grantTokens(grantId))) {
      const [jti, exp] = member.split(' ');
      if (jti && Number(exp) > now) await writer.revokeToken({ jti, exp: Number(exp) });
    }
    await kv.delete(grantTokens(grantId));
  }

  async function revokeGrant(grantId: string): Promise<void> {
    // Our store adapter deletes every artifact of the grant whatever the model.
    await adapters('RefreshToken').revokeByGrantId(grantId);
    await adapters('Grant').destroy(grantId);
    await revokeGrantTokens(grantId);
  }

  return {
    revokeGrantTokens,
    async revokeUser(accountId) {
      await writer.revokeUser(accountId);
      const [grants, sessions] = await Promise.all([kv.members(userGrants(accountId)), kv.members(userSessions(accountId))]);
      await Promise.all(grants.map(revokeGrant));
      await Promise.all(sessions.map((id) => adapters('Session').destroy(id)));
      await kv.delete(userGrants(accountId), userSessions(accountId));
      log?.info({ event: 'user.sessions_ended', userId: accountId, grants: grants.length, sessions: sessions.length }, 'ended every session, grant and token of a user');
    },
  };
}

export function createUserRevocation({ provider, kv, adapters, writer, log, retentionSeconds }: UserRevocationOptions): UserRevocation {
  const failed = (what: string) => (err: unknown) => log.error({ err, event: 'revocation.index_failed' }, `could not ${what}`);
  const revoker = createUserRevoker({ kv, writer, adapters, log });

  provider.on('grant.saved', (grant: Indexed) => {
    if (grant.accountId) kv.addToSet(userGrants(grant.accountId), grant.jti, retentionSeconds).catch(failed('index a grant'));
  });
  provider.on('session.saved', (session: Indexed) => {
    if (session.accountId) kv.addToSet(userSessions(session.accountId), session.jti, retentionSeconds).catch(failed('index a session'));
  });
  provider.on('access_token.issued', (token: Indexed) => {
    // A JWT's exp lives only in its signed payload; the model knows its lifetime,
    // and a second of slack covers the tick between signing and this event.
    const now = Math.floor(Date.now() / 1000);
    const exp = token.exp ?? (token.expiration ? (token.iat ?? now) + token.expiration + 1 : undefined);
    if (!token.grantId || !exp) return;
    const ttl = Math.max(1, exp - now);
    kv.addToSet(grantTokens(token.grantId), `${token.jti} ${exp}`, ttl).catch(failed('index an access token'));
  });
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => {
    revoker.revokeGrantTokens(grantId).catch(failed('revoke the access tokens of a revoked grant'));
  });

  return { revokeUser: revoker.revokeUser };
}
