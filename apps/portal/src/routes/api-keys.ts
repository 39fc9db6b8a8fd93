// The API keys section:
//   GET  /partners/:slug/api-keys               the partner's keys + create form
//   POST /partners/:slug/api-keys               create → the key shown once
//   POST /partners/:slug/api-keys/:id/revoke    the API refuses it within a second
// The registry confines every call to the partner in view (`within`): another
// partner's key or client is not found, exactly as a missing one.
import Router from '@koa/router';
import { apiScopes, partnerScopeNames, type CreateApiKeyInput, type Registry } from '@passerelle/registry';
import { apiKeysPage, type ApiKeysPageOptions } from '../pages/api-keys.ts';
import { actorOf, scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { confirmPage } from '../pages/confirm.ts';
import { attempt, confirmed, field, fields, render } from './forms.ts';

/** A key never carries `profile` (it names no user) nor `admin`. */
const keyScopes = partnerScopeNames.filter((s) => s !== 'profile').map((scope) => ({ scope, description: apiScopes[scope] }));

/** `YYYY-MM-DD` → that day at 00:00 UTC; anything else is left for the registry to refuse. */
function expiryOf(value: string): Date | string | null {
  if (value === '') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

export function apiKeyRoutes({ registry, apiUrl }: { registry: Registry; apiUrl: string }) {
  const router = new Router<PortalState>();

  async function list(ctx: PortalContext, extra: Partial<ApiKeysPageOptions> = {}) {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const within = { partnerId: partner.id };
    const [keys, clients] = await Promise.all([
      registry.listApiKeys({ limit: 200 }, within),
      registry.listPartnerClients(partner.slug, bounded),
    ]);
    render(ctx, apiKeysPage({ viewer, partner, keys: keys.items, clients, scopes: keyScopes, apiUrl, ...extra }));
  }

  router.get('/api-keys', (ctx: PortalContext) => list(ctx));

  router.post('/api-keys', async (ctx: PortalContext) => {
    const { partner } = scopeOf(ctx);
    const form = { name: field(ctx, 'name'), clientId: field(ctx, 'clientId'), expires: field(ctx, 'expires') };
    const input = {
      name: form.name, clientId: form.clientId, scopes: fields(ctx, 'scopes') as CreateApiKeyInput['scopes'], expiresAt: expiryOf(form.expires),
    } as CreateApiKeyInput;
    const result = await attempt(ctx, () => registry.createApiKey(actorOf(ctx), input, { partnerId: partner.id }));
    if (!result.ok) return list(ctx, { error: result.error, form });
    ctx.status = 201;
    await list(ctx, { issued: result.value });
  });

  router.post('/api-keys/:keyId/revoke', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    const within = { partnerId: partner.id };
    const key = await registry.getApiKey(ctx.params['keyId']!, within);
    if (!confirmed(ctx, ({ action }) => confirmPage({
      viewer, partner, section: 'api-keys', title: `Revoke “${key.name}”?`, action, button: 'Yes, revoke it',
      message: `The API refuses ${key.prefix}… within a second, for good. Anything still using it stops working.`,
      cancel: `/partners/${encodeURIComponent(partner.slug)}/api-keys`,
    }))) return;
    const revoked = await registry.revokeApiKey(actorOf(ctx), key.id, within);
    await list(ctx, { notice: `API key “${revoked.name}” revoked: the API refuses it from now on.` });
  });

  return router;
}
