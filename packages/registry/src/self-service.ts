// What a partner's own users may do to their credentials (the partner portal),
// beside what an admin may do. Same operations, same validation, same audit as
// clients.ts; only narrower:
// - every client operation names the partner it acts for, and a client of any
//   other partner is "not found" (an id edited in a URL reaches nothing);
// - a client that carries `admin` (an admin console an operator filed under
//   the partner) is "not found" and unlisted to them too: its secret, signing
//   key or API keys would hand them the admin API;
// - a client they create gets partner scopes only (never `admin`), the
//   client-credentials grant, and the defaults for tier, quota, Basic fallback
//   and signature policy, which stay an admin's decision;
// - a client's IP allowlist must lie within the bounds an admin set on the
//   partner, when there are any: every entry inside one bound, and never empty
//   (empty means "from anywhere", which is wider than any bound);
// - they may enable again only a client one of the partner's users disabled:
//   a client an administrator (or the admin API, the CLI) disabled stays
//   disabled until an administrator enables it.
import type { Client } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import type { Actor } from '@passerelle/audit';
import { isRangeWithin } from '@passerelle/client-ip';
import type { clientOperations } from './clients.ts';
import type { Deps } from './deps.ts';
import { type PartnerClientInput, ipAllowlistInput, partnerClientInput, validate } from './inputs.ts';
import { type ClientView, clientView } from './views.ts';
import type { IssuedCredentials } from './clients.ts';

type ClientOperations = ReturnType<typeof clientOperations>;

/** Whether a partner's own users may manage the client: never one carrying `admin`. */
export function memberManaged(client: { allowedScopes: readonly string[] }): boolean {
  return !client.allowedScopes.includes('admin');
}

export function selfServiceOperations({ prisma }: Deps, clients: ClientOperations) {
  async function ownClient(partnerSlug: string, clientId: string, bounded: boolean): Promise<Client> {
    const client = await prisma.client.findFirst({ where: { clientId, partner: { slug: partnerSlug } } });
    if (!client || (bounded && !memberManaged(client))) throw new Problem('not_found', { detail: `no client "${clientId}"` });
    return client;
  }

  /**
   * The partner's client, or not_found when it is another partner's (or
   * nobody's), or, for a partner's own user (`bounded`), one carrying `admin`.
   */
  async function getPartnerClient(partnerSlug: string, clientId: string, bounded = false): Promise<ClientView> {
    return clientView(await ownClient(partnerSlug, clientId, bounded));
  }

  /** The partner's clients (up to 200) that the caller may manage: for a partner's own user (`bounded`), none carrying `admin`. */
  async function listPartnerClients(partnerSlug: string, bounded: boolean): Promise<ClientView[]> {
    const { items } = await clients.listClients({ partner: partnerSlug, limit: 200 });
    return bounded ? items.filter(memberManaged) : items;
  }

  async function createPartnerClient(actor: Actor, partnerSlug: string, input: PartnerClientInput): Promise<IssuedCredentials> {
    const data = validate(partnerClientInput, input);
    return clients.createClient(actor, { partner: partnerSlug, name: data.name, scopes: data.scopes });
  }

  /**
   * Sets the IP allowlist of the partner's client. `bounded` (a partner's own
   * user) holds it within the partner's bounds; an admin is not bounded.
   */
  async function setPartnerClientIpAllowlist(actor: Actor, partnerSlug: string, clientId: string, entries: readonly string[], bounded: boolean): Promise<ClientView> {
    const { ipAllowlist } = validate(ipAllowlistInput, { ipAllowlist: entries });
    const client = await ownClient(partnerSlug, clientId, bounded);
    if (bounded) {
      const { ipAllowlistBounds: bounds } = await prisma.partner.findUniqueOrThrow({ where: { id: client.partnerId }, select: { ipAllowlistBounds: true } });
      const outside = ipAllowlist.filter((entry) => !bounds.some((bound) => isRangeWithin(entry, bound)));
      if (bounds.length > 0 && (ipAllowlist.length === 0 || outside.length > 0)) {
        throw new Problem('ip_outside_bounds', {
          detail: ipAllowlist.length === 0
            ? `an empty list allows every address; list addresses within ${bounds.join(', ')}`
            : `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the ranges your administrator allows: ${bounds.join(', ')}`,
          errors: [{ path: 'ipAllowlist', message: `every entry must lie within ${bounds.join(', ')}` }],
        });
      }
    }
    return clients.updateClient(actor, client.clientId, { ipAllowlist });
  }

  /**
   * Disables or enables the partner's client. `bounded` (a partner's own user)
   * may not undo an administrator's disable: the last `client.disable` must be
   * a partner user's.
   */
  async function setPartnerClientStatus(actor: Actor, partnerSlug: string, clientId: string, status: 'active' | 'disabled', bounded: boolean): Promise<ClientView> {
    const client = await ownClient(partnerSlug, clientId, bounded);
    if (bounded && status === 'active' && client.status !== 'active') {
      const disabled = await prisma.auditEvent.findFirst({
        where: { targetType: 'client', targetId: client.clientId, action: 'client.disable', outcome: 'success' },
        orderBy: { at: 'desc' }, select: { actorType: true },
      });
      if (disabled?.actorType !== 'user') {
        throw new Problem('forbidden', { detail: 'An administrator disabled this client; only an administrator can enable it again.' });
      }
    }
    return clients.setClientStatus(actor, client.clientId, status);
  }

  return { getPartnerClient, listPartnerClients, createPartnerClient, setPartnerClientIpAllowlist, setPartnerClientStatus };
}
