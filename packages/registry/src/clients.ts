// Clients: create (the consumer-secret is returned this once), list, show,
// update, disable, enable, delete. Disabling and deleting end every token the
// client holds (see RegistryOptions.revokeClient); enabling does not bring
// them back. Every change is audited in its own transaction with a diff of
// views, which never hold a secret or a hash.
import type { Client, Prisma } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { generateConsumerKey, generateConsumerSecret, hashSecret } from './credentials.ts';
import { FIRST_PARTY_SLUG } from './scopes.ts';
import { type Deps, isUniqueViolation } from './deps.ts';
import {
  type ClientListInput, type CreateClientInput, type UpdateClientInput,
  clientListInput, clientRedirectRule, createClientInput, updateClientInput, validate,
} from './inputs.ts';
import { type Page, after, decodeCursor, toPage } from './pagination.ts';
import { type ClientView, changes, clientView } from './views.ts';

export interface IssuedCredentials {
  client: ClientView;
  /** The consumer-secret in clear: shown once, never stored, never shown again. */
  consumerSecret: string;
}

export async function findClientOrThrow(tx: Prisma.TransactionClient, clientId: string): Promise<Client> {
  const client = await tx.client.findUnique({ where: { clientId } });
  if (!client) throw new Problem('not_found', { detail: `no client "${clientId}"` });
  return client;
}

function audit(tx: Prisma.TransactionClient, actor: Actor, action: string, client: Client, diff: Record<string, unknown>) {
  return writeAudit(tx, actor, { action, targetType: 'client', targetId: client.clientId, partnerId: client.partnerId, diff });
}

export function clientOperations({ prisma, revokeClient }: Deps) {
  async function createClient(actor: Actor, input: CreateClientInput): Promise<IssuedCredentials> {
    const data = validate(createClientInput, input);
    const partner = await prisma.partner.findUnique({ where: { slug: data.partner } });
    if (!partner) throw new Problem('not_found', { detail: `no partner "${data.partner}"` });
    // Its clients skip the consent page: only the apps' own start-up registers them (first-party.ts).
    if (partner.slug === FIRST_PARTY_SLUG) throw new Problem('forbidden', { detail: `partner "${data.partner}" is reserved for Passerelle's own apps` });
    const consumerSecret = generateConsumerSecret();
    try {
      const client = await prisma.$transaction(async (tx) => {
        const created = await tx.client.create({
          data: {
            clientId: generateConsumerKey(),
            partnerId: partner.id,
            name: data.name,
            secretHash: hashSecret(consumerSecret),
            allowedScopes: data.scopes,
            grantTypes: data.grantTypes,
            redirectUris: data.redirectUris,
            basicAuthFallback: data.basicAuthFallback,
            rateTier: data.rateTier,
            signaturePolicy: data.signaturePolicy,
            dailyQuota: data.dailyQuota ?? null,
            ipAllowlist: data.ipAllowlist,
          },
        });
        await audit(tx, actor, 'client.create', created, { after: clientView(created) });
        return created;
      });
      return { client: clientView(client), consumerSecret };
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('conflict', { detail: `partner "${data.partner}" already has a client named "${data.name}"`, cause: err });
      throw err;
    }
  }

  async function listClients(input: ClientListInput = {}): Promise<Page<ClientView>> {
    const query = validate(clientListInput, input);
    const partner = query.partner ? await prisma.partner.findUnique({ where: { slug: query.partner } }) : undefined;
    if (query.partner && !partner) throw new Problem('not_found', { detail: `no partner "${query.partner}"` });
    const rows = await prisma.client.findMany({
      where: {
        ...(partner ? { partnerId: partner.id } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.name ? { name: { contains: query.name, mode: 'insensitive' as const } } : {}),
        ...(query.scope ? { allowedScopes: { has: query.scope } } : {}),
        ...after('createdAt', decodeCursor(query.cursor), 'asc'),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, (r) => r.createdAt, clientView);
  }

  async function getClient(clientId: string): Promise<ClientView> {
    return clientView(await findClientOrThrow(prisma, clientId));
  }

  async function updateClient(actor: Actor, clientId: string, input: UpdateClientInput): Promise<ClientView> {
    const data = validate(updateClientInput, input);
    try {
      return await prisma.$transaction(async (tx) => {
        const before = await findClientOrThrow(tx, clientId);
        validate(clientRedirectRule, {
          grantTypes: data.grantTypes ?? before.grantTypes,
          redirectUris: data.redirectUris ?? before.redirectUris,
        });
        const updated = await tx.client.update({
          where: { clientId },
          data: {
            ...(data.name !== undefined ? { name: data.name } : {}),
            ...(data.scopes !== undefined ? { allowedScopes: data.scopes } : {}),
            ...(data.grantTypes !== undefined ? { grantTypes: data.grantTypes } : {}),
            ...(data.redirectUris !== undefined ? { redirectUris: data.redirectUris } : {}),
            ...(data.basicAuthFallback !== undefined ? { basicAuthFallback: data.basicAuthFallback } : {}),
            ...(data.rateTier !== undefined ? { rateTier: data.rateTier } : {}),
            ...(data.signaturePolicy !== undefined ? { signaturePolicy: data.signaturePolicy } : {}),
            ...(data.dailyQuota !== undefined ? { dailyQuota: data.dailyQuota } : {}),
            ...(data.ipAllowlist !== undefined ? { ipAllowlist: data.ipAllowlist } : {}),
          },
        });
        await audit(tx, actor, 'client.update', updated, changes(clientView(before), clientView(updated)));
        return clientView(updated);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('conflict', { detail: `this partner already has a client named "${data.name}"`, cause: err });
      throw err;
    }
  }

  async function setClientStatus(actor: Actor, clientId: string, status: 'active' | 'disabled'): Promise<ClientView> {
    return prisma.$transaction(async (tx) => {
      const before = await findClientOrThrow(tx, clientId);
      const updated = await tx.client.update({ where: { clientId }, data: { status } });
      await audit(tx, actor, status === 'active' ? 'client.enable' : 'client.disable', updated, { before: { status: before.status }, after: { status } });
      if (status === 'disabled') await revokeClient(clientId);
      return clientView(updated);
    });
  }

  async function deleteClient(actor: Actor, clientId: string): Promise<void> {
    await prisma.$transaction(async (tx) => {
      const before = await findClientOrThrow(tx, clientId);
      await tx.client.delete({ where: { clientId } });
      await audit(tx, actor, 'client.delete', before, { before: clientView(before) });
      await revokeClient(clientId);
    });
  }

  return { createClient, listClients, getClient, updateClient, setClientStatus, deleteClient };
}
