// The one domain layer for partners and clients. The CLI and the admin HTTP API
// both call it, so both validate, store and audit the same way. It never returns
// a secret hash; a new consumer-secret is returned once, at creation.
import { Prisma, type PrismaClient, type Client, type Partner } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { generateConsumerKey, generateConsumerSecret, hashSecret } from './credentials.ts';
import { type CreateClientInput, type CreatePartnerInput, createClientInput, createPartnerInput, validate } from './inputs.ts';

export type ClientView = Omit<Client, 'secretHash'>;

export interface IssuedCredentials {
  client: ClientView;
  /** The consumer-secret in clear: shown once, never stored, never shown again. */
  consumerSecret: string;
}

function view(client: Client): ClientView {
  const { secretHash: _hidden, ...rest } = client;
  return rest;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

export function createRegistry(prisma: PrismaClient) {
  async function createPartner(actor: Actor, input: CreatePartnerInput): Promise<Partner> {
    const data = validate(createPartnerInput, input);
    try {
      return await prisma.$transaction(async (tx) => {
        const partner = await tx.partner.create({ data });
        await writeAudit(tx, actor, { action: 'partner.create', targetType: 'partner', targetId: partner.id, diff: { after: partner } });
        return partner;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('conflict', { detail: `a partner with slug "${data.slug}" already exists`, cause: err });
      throw err;
    }
  }

  async function createClient(actor: Actor, input: CreateClientInput): Promise<IssuedCredentials> {
    const data = validate(createClientInput, input);
    const partner = await prisma.partner.findUnique({ where: { slug: data.partner } });
    if (!partner) throw new Problem('not_found', { detail: `no partner "${data.partner}"` });
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
          },
        });
        await writeAudit(tx, actor, { action: 'client.create', targetType: 'client', targetId: created.clientId, diff: { after: view(created) } });
        return created;
      });
      return { client: view(client), consumerSecret };
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('conflict', { detail: `partner "${data.partner}" already has a client named "${data.name}"`, cause: err });
      throw err;
    }
  }

  async function setClientStatus(actor: Actor, clientId: string, status: 'active' | 'disabled'): Promise<ClientView> {
    return prisma.$transaction(async (tx) => {
      const before = await tx.client.findUnique({ where: { clientId } });
      if (!before) throw new Problem('not_found', { detail: `no client "${clientId}"` });
      const after = await tx.client.update({ where: { clientId }, data: { status } });
      await writeAudit(tx, actor, {
        action: status === 'active' ? 'client.enable' : 'client.disable',
        targetType: 'client', targetId: clientId, diff: { before: { status: before.status }, after: { status } },
      });
      return view(after);
    });
  }

  /** The client with its partner, for the authorization server; null when unknown or not usable. */
  async function findActiveClient(clientId: string): Promise<(Client & { partner: Partner }) | null> {
    const client = await prisma.client.findUnique({ where: { clientId }, include: { partner: true } });
    if (!client || client.status !== 'active' || client.partner.status !== 'active') return null;
    return client;
  }

  return { createPartner, createClient, setClientStatus, findActiveClient };
}

export type Registry = ReturnType<typeof createRegistry>;
