// Passerelle's own web apps (the partner portal) are OAuth clients of its own
// authorization server, registered by the app itself at start-up from its
// configuration: a fixed consumer-key, the secret it was given (only its hash
// is stored), its redirect URIs. They belong to a reserved partner, since every
// client has one; that partner never gets an API scope beyond `profile`.
// Registering is idempotent: a start that changes nothing writes nothing, and a
// change (new secret, new URL) is one audited update by the system.
import type { Client } from '@passerelle/db';
import { type Actor, writeAudit } from '@passerelle/audit';
import { hashSecret, verifySecret } from './credentials.ts';
import type { Deps } from './deps.ts';
import { isUniqueViolation } from './deps.ts';
import { FIRST_PARTY_SLUG } from './scopes.ts';
import { changes, clientView } from './views.ts';

/** The partner that owns Passerelle's own apps. */
export const FIRST_PARTY_PARTNER = { slug: FIRST_PARTY_SLUG, name: 'Passerelle (first-party apps)' } as const;

export interface FirstPartyClient {
  /** The consumer-key, fixed by configuration (e.g. `passerelle-portal`). */
  clientId: string;
  name: string;
  /** The consumer-secret in clear, from configuration; stored hashed. */
  secret: string;
  redirectUris: string[];
}

const systemActor: Actor = { type: 'system', id: 'system', credential: 'start-up' };

export function firstPartyOperations({ prisma }: Deps) {
  function upToDate(client: Client, wanted: FirstPartyClient): boolean {
    return client.name === wanted.name && verifySecret(wanted.secret, client.secretHash) && client.status === 'active'
      && JSON.stringify(client.redirectUris) === JSON.stringify(wanted.redirectUris);
  }

  async function register(wanted: FirstPartyClient): Promise<void> {
    await prisma.$transaction(async (tx) => {
      const partner = await tx.partner.upsert({ where: { slug: FIRST_PARTY_PARTNER.slug }, create: FIRST_PARTY_PARTNER, update: {} });
      const existing = await tx.client.findUnique({ where: { clientId: wanted.clientId } });
      if (existing && upToDate(existing, wanted)) return;
      const data = {
        name: wanted.name,
        secretHash: hashSecret(wanted.secret),
        redirectUris: wanted.redirectUris,
        grantTypes: ['authorization_code'],
        allowedScopes: ['profile'],
        status: 'active' as const,
        signaturePolicy: 'off' as const,
      };
      if (existing) {
        const updated = await tx.client.update({ where: { clientId: wanted.clientId }, data });
        await writeAudit(tx, systemActor, {
          action: 'client.update', targetType: 'client', targetId: wanted.clientId, partnerId: partner.id,
          diff: { ...changes(clientView(existing), clientView(updated)), secretChanged: existing.secretHash !== updated.secretHash },
        });
        return;
      }
      const created = await tx.client.create({ data: { ...data, clientId: wanted.clientId, partnerId: partner.id } });
      await writeAudit(tx, systemActor, { action: 'client.create', targetType: 'client', targetId: wanted.clientId, partnerId: partner.id, diff: { after: clientView(created) } });
    });
  }

  /** Registers (or updates) a first-party app; two instances starting at once both succeed. */
  async function registerFirstPartyClient(wanted: FirstPartyClient): Promise<void> {
    try {
      await register(wanted);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await register(wanted); // the other instance created it first: now it is an update or nothing
    }
  }

  /** Whether `partnerId` is the reserved partner of Passerelle's own apps (whose users are not asked to consent). */
  async function isFirstPartyPartner(partnerId: unknown): Promise<boolean> {
    if (typeof partnerId !== 'string' || !/^[0-9a-f-]{36}$/i.test(partnerId)) return false;
    const partner = await prisma.partner.findUnique({ where: { id: partnerId }, select: { slug: true } });
    return partner?.slug === FIRST_PARTY_PARTNER.slug;
  }

  return { registerFirstPartyClient, isFirstPartyPartner };
}
