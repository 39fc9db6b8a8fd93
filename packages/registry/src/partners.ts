// Partners: create, list, show, rename, disable and enable. Disabling a partner
// stops all of its clients (the token endpoint refuses them, and every token
// they hold is revoked), without touching the clients' own status, so enabling
// the partner again restores exactly what was there.
import type { Prisma } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { type Deps, isUniqueViolation } from './deps.ts';
import {
  type CreatePartnerInput, type PartnerListInput, type UpdatePartnerInput,
  createPartnerInput, partnerListInput, updatePartnerInput, validate,
} from './inputs.ts';
import { type Page, after, decodeCursor, toPage } from './pagination.ts';
import { FIRST_PARTY_SLUG } from './scopes.ts';
import { type PartnerView, changes, partnerView } from './views.ts';

export function partnerOperations({ prisma, revokeClient, announceClientChange }: Deps) {
  async function findOrThrow(tx: Prisma.TransactionClient, slug: string) {
    const partner = await tx.partner.findUnique({ where: { slug } });
    if (!partner) throw new Problem('not_found', { detail: `no partner "${slug}"` });
    return partner;
  }

  async function createPartner(actor: Actor, input: CreatePartnerInput): Promise<PartnerView> {
    const data = validate(createPartnerInput, input);
    try {
      return await prisma.$transaction(async (tx) => {
        const partner = partnerView(await tx.partner.create({ data }));
        await writeAudit(tx, actor, { action: 'partner.create', targetType: 'partner', targetId: partner.slug, partnerId: partner.id, diff: { after: partner } });
        return partner;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Problem('conflict', { detail: `a partner with slug "${data.slug}" already exists`, cause: err });
      throw err;
    }
  }

  async function listPartners(input: PartnerListInput = {}): Promise<Page<PartnerView>> {
    const query = validate(partnerListInput, input);
    const rows = await prisma.partner.findMany({
      where: { ...(query.status ? { status: query.status } : {}), ...after('createdAt', decodeCursor(query.cursor), 'asc') },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, (r) => r.createdAt, partnerView);
  }

  async function getPartner(slug: string): Promise<PartnerView> {
    return partnerView(await findOrThrow(prisma, slug));
  }

  async function updatePartner(actor: Actor, slug: string, input: UpdatePartnerInput): Promise<PartnerView> {
    const data = validate(updatePartnerInput, input);
    return prisma.$transaction(async (tx) => {
      const before = partnerView(await findOrThrow(tx, slug));
      const updated = partnerView(await tx.partner.update({ where: { slug }, data }));
      await writeAudit(tx, actor, { action: 'partner.update', targetType: 'partner', targetId: slug, partnerId: before.id, diff: changes(before, updated) });
      return updated;
    });
  }

  async function setPartnerStatus(actor: Actor, slug: string, status: 'active' | 'disabled'): Promise<PartnerView> {
    // Disabling it would lock everyone out of the portal, the place to undo it from.
    if (slug === FIRST_PARTY_SLUG && status === 'disabled') throw new Problem('forbidden', { detail: `partner "${slug}" holds Passerelle's own apps and cannot be disabled` });
    const { updated, clients } = await prisma.$transaction(async (tx) => {
      const before = await findOrThrow(tx, slug);
      const updated = partnerView(await tx.partner.update({ where: { slug }, data: { status } }));
      await writeAudit(tx, actor, {
        action: status === 'active' ? 'partner.enable' : 'partner.disable',
        targetType: 'partner', targetId: slug, partnerId: before.id,
        diff: { before: { status: before.status }, after: { status } },
      });
      const clients = await tx.client.findMany({ where: { partnerId: before.id }, select: { clientId: true } });
      if (status === 'disabled' && before.status !== 'disabled') {
        for (const { clientId } of clients) await revokeClient(clientId);
      }
      return { updated, clients };
    });
    // Caches hold each client with its partner's status: all of them read again.
    for (const { clientId } of clients) await announceClientChange(clientId);
    return updated;
  }

  return { createPartner, listPartners, getPartner, updatePartner, setPartnerStatus };
}
