// The Credentials section: the partner's OAuth clients.
//   GET  /partners/:slug/credentials                        list + create form
//   POST /partners/:slug/credentials                        create → secret shown once
//   GET  /partners/:slug/credentials/:clientId              one client
//   POST /partners/:slug/credentials/:clientId/rotate       new secret shown once; grace for the old
//   POST /partners/:slug/credentials/:clientId/ip-allowlist within the partner's bounds (members)
//   POST /partners/:slug/credentials/:clientId/disable|enable  (a member enables only what a member disabled)
//   POST /partners/:slug/credentials/:clientId/end-grace    the previous secret stops now
//   POST /partners/:slug/credentials/:clientId/settings|delete administrators only (404 to members):
//        settings is the admin API's PATCH /clients/{id}: name, grant types, redirect URIs, scopes, rate tier,
//        daily quota, Basic fallback, signature policy
// Every operation is the registry's, with the viewer as the audited actor; a
// client of another partner, or (to a member) one carrying `admin`, is not
// found (registry.getPartnerClient).
import Router from '@koa/router';
import type { Next } from 'koa';
import { apiScopeNames, apiScopes, partnerScopeNames, type PartnerClientInput, type Registry, type UpdateClientInput } from '@passerelle/registry';
import { clientPage, credentialsPage, issuedSecretPage } from '../pages/credentials.ts';
import type { FormError } from '../pages/parts.ts';
import { actorOf, scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { confirmPage } from '../pages/confirm.ts';
import { attempt, confirmed, field, fields, render } from './forms.ts';

export interface CredentialsRoutesOptions {
  registry: Registry;
  issuer: string;
  defaultGraceSeconds: number;
}

const scopeChoices = partnerScopeNames.map((scope) => ({ scope, description: apiScopes[scope] }));
const allScopes = apiScopeNames.map((scope) => ({ scope, description: apiScopes[scope] }));

/** The admin's settings form, as the registry's update input (which validates it, as for the admin API's PATCH). */
function settingsOf(ctx: PortalContext): UpdateClientInput {
  const quota = field(ctx, 'dailyQuota').trim();
  return {
    name: field(ctx, 'name'),
    grantTypes: fields(ctx, 'grantTypes') as UpdateClientInput['grantTypes'],
    redirectUris: field(ctx, 'redirectUris').split(/\s+/).filter(Boolean),
    scopes: fields(ctx, 'scopes') as UpdateClientInput['scopes'],
    rateTier: field(ctx, 'rateTier') as UpdateClientInput['rateTier'],
    signaturePolicy: field(ctx, 'signaturePolicy') as UpdateClientInput['signaturePolicy'],
    basicAuthFallback: field(ctx, 'basicAuthFallback') === 'on',
    dailyQuota: quota === '' ? null : /^\d{1,9}$/.test(quota) ? Number(quota) : -1,
  };
}

export function credentialsRoutes({ registry, issuer, defaultGraceSeconds, adminOnly }: CredentialsRoutesOptions & { adminOnly: (ctx: PortalContext, next: Next) => Promise<void> }) {
  const router = new Router<PortalState>();
  const clientPath = '/credentials/:clientId';

  async function list(ctx: PortalContext, extra: { error?: FormError; name?: string } = {}) {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const clients = await registry.listPartnerClients(partner.slug, bounded);
    render(ctx, credentialsPage({ viewer, partner, clients, scopes: scopeChoices, ...extra }));
  }

  async function show(ctx: PortalContext, extra: { error?: FormError; notice?: string; ipAllowlistText?: string } = {}) {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
    render(ctx, clientPage({ viewer, partner, client, defaultGraceSeconds, allScopes, ...extra }));
  }

  router.get('/credentials', (ctx: PortalContext) => list(ctx));

  router.post('/credentials', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    const name = field(ctx, 'name');
    const result = await attempt(ctx, () => registry.createPartnerClient(actorOf(ctx), partner.slug, { name, scopes: fields(ctx, 'scopes') as PartnerClientInput['scopes'] }));
    if (!result.ok) return list(ctx, { error: result.error, name });
    ctx.status = 201;
    render(ctx, issuedSecretPage({
      viewer, partner, issuer, client: result.value.client, consumerSecret: result.value.consumerSecret, title: 'Client created',
    }));
  });

  router.get(clientPath, (ctx: PortalContext) => show(ctx));

  router.post(`${clientPath}/rotate`, async (ctx: PortalContext) => {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
    const grace = field(ctx, 'graceSeconds');
    const result = await attempt(ctx, () => registry.rotateSecret(actorOf(ctx), client.clientId, { graceSeconds: /^\d{1,9}$/.test(grace) ? Number(grace) : -1 }));
    if (!result.ok) return show(ctx, { error: result.error });
    const { graceEndsAt } = result.value;
    render(ctx, issuedSecretPage({
      viewer, partner, issuer, client: result.value.client, consumerSecret: result.value.consumerSecret, title: 'Secret rotated',
      note: graceEndsAt
        ? `The previous secret keeps working until ${graceEndsAt.toISOString().replace('T', ' ').slice(0, 19)} UTC.`
        : 'The previous secret has stopped working, and so has every token obtained with it.',
    }));
  });

  router.post(`${clientPath}/ip-allowlist`, async (ctx: PortalContext) => {
    const { partner, bounded } = scopeOf(ctx);
    const text = field(ctx, 'ipAllowlist');
    const entries = text.split(/[\s,]+/).filter(Boolean);
    const result = await attempt(ctx, () => registry.setPartnerClientIpAllowlist(
      actorOf(ctx), partner.slug, ctx.params['clientId']!, entries, bounded,
    ));
    if (!result.ok) return show(ctx, { error: result.error, ipAllowlistText: text });
    await show(ctx, { notice: 'IP allowlist saved.' });
  });

  for (const status of ['disable', 'enable'] as const) {
    router.post(`${clientPath}/${status}`, async (ctx: PortalContext) => {
      const { viewer, partner, bounded } = scopeOf(ctx);
      const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
      if (status === 'disable' && !confirmed(ctx, ({ action }) => confirmPage({
        viewer, partner, section: 'credentials', title: `Disable ${client.name}?`, action, button: 'Yes, disable it',
        message: 'The token endpoint will refuse this client and every token it holds stops working within a second, including its API keys\' calls. You can enable it again; its tokens do not come back.',
        cancel: `/partners/${encodeURIComponent(partner.slug)}/credentials/${encodeURIComponent(client.clientId)}`,
      }))) return;
      await registry.setPartnerClientStatus(actorOf(ctx), partner.slug, client.clientId, status === 'disable' ? 'disabled' : 'active', bounded);
      await show(ctx, { notice: status === 'disable' ? 'Client disabled: it can no longer obtain tokens, and its tokens have stopped working.' : 'Client enabled.' });
    });
  }

  router.post(`${clientPath}/end-grace`, async (ctx: PortalContext) => {
    const { partner, bounded } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
    const result = await attempt(ctx, () => registry.endSecretGrace(actorOf(ctx), client.clientId));
    if (!result.ok) return show(ctx, { error: result.error });
    await show(ctx, { notice: 'The previous secret has stopped working, and so has every token obtained before.' });
  });

  router.post(`${clientPath}/settings`, adminOnly, async (ctx: PortalContext) => {
    const { partner } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!);
    const result = await attempt(ctx, () => registry.updateClient(actorOf(ctx), client.clientId, settingsOf(ctx)));
    if (!result.ok) return show(ctx, { error: result.error });
    await show(ctx, { notice: 'Settings saved.' });
  });

  router.post(`${clientPath}/delete`, adminOnly, async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!);
    if (!confirmed(ctx, ({ action }) => confirmPage({
      viewer, partner, section: 'credentials', title: `Delete ${client.name}?`, action, button: 'Yes, delete it for good',
      message: 'The client, its secret and its signing key are gone for good, and its tokens stop working. Its audit trail stays.',
      cancel: `/partners/${encodeURIComponent(partner.slug)}/credentials/${encodeURIComponent(client.clientId)}`,
    }))) return;
    await registry.deleteClient(actorOf(ctx), client.clientId);
    ctx.status = 303;
    ctx.redirect(`/partners/${encodeURIComponent(partner.slug)}/credentials`);
  });

  return router;
}
