// The authorization server's side of the IP allowlist (seed: IP filtering). A
// client with an allowlist can authenticate at the token endpoint (and the other
// endpoints where a client authenticates: revocation, introspection) only from
// an address inside it. The check sits where oidc-provider looks the client up
// during client authentication, before any secret is compared: from another
// address the client does not exist, so the answer is the same RFC 6749 §5.2
// `invalid_client` as a wrong secret. Leaked credentials cannot even be tested
// from outside the partner's network, and no secret hashing is spent on them.
// The operator sees the reason: a warning and a security event.
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { recordSecurityEvent } from '@passerelle/audit';
import { isAddressAllowed } from '@passerelle/client-ip';
import type { PrismaClient } from '@passerelle/db';
import type { Logger } from '@passerelle/log';

/** oidc-provider routes whose requests authenticate a client (browser-facing ones come from users, not partners). */
const clientAuthenticationRoutes = new Set([
  'token', 'revocation', 'introspection', 'pushed_authorization_request', 'device_authorization', 'backchannel_authentication',
]);

export interface ProviderIpAllowlistOptions {
  prisma: PrismaClient;
  log: Logger;
}

/** How the client was about to authenticate (its credential is never read here). */
function credentialOf(ctx: KoaContextWithOIDC): string {
  if (ctx.get('authorization')) return 'client_secret_basic';
  return ctx.oidc.params?.['client_assertion'] ? 'private_key_jwt' : 'client_secret_post';
}

function allowlistOf(client: { [key: string]: unknown }): readonly string[] {
  const value = client['ip_allowlist'];
  return Array.isArray(value) ? (value as string[]) : [];
}

/** The caller's address is `ctx.ip`, resolved first thing by @passerelle/client-ip's middleware. */
export function enforceIpAllowlists(provider: Provider, { prisma, log }: ProviderIpAllowlistOptions): void {
  const find = provider.Client.find.bind(provider.Client);

  provider.Client.find = async function findFromAllowedAddress(id: string) {
    const client = await find(id);
    const ctx = Provider.ctx;
    if (!client || !ctx || !clientAuthenticationRoutes.has(ctx.oidc.route)) return client;
    const allowlist = allowlistOf(client);
    if (allowlist.length === 0) return client;
    const address = ctx.ip || undefined;
    if (isAddressAllowed(allowlist, address)) return client;

    const partnerId = typeof client['partner_id'] === 'string' ? client['partner_id'] : undefined;
    log.warn({ event: 'auth.refused', reason: 'ip_not_allowed', clientId: id, ip: address, route: ctx.oidc.route }, 'client authentication from an address outside its IP allowlist');
    await recordSecurityEvent(prisma, {
      type: 'client', id, credential: credentialOf(ctx), ip: address, method: ctx.method, path: ctx.path,
    }, { action: 'auth.refused', targetType: 'client', targetId: id, partnerId, diff: { reason: 'ip_not_allowed' } }).catch((err: unknown) => {
      log.error({ err, event: 'audit.write_failed' }, 'could not record a security event');
    });
    return undefined;
  };
}
