// The one domain layer for partners, clients and API keys. The CLI and the admin HTTP API
// both call it, so both validate, store and audit the same way. It never returns
// a secret hash; a consumer-secret is returned once, when it is issued.
import type { Client, Partner, PrismaClient } from '@passerelle/db';
import { apiKeyOperations } from './api-keys.ts';
import { auditQueries } from './audit-log.ts';
import { clientOperations } from './clients.ts';
import { type RegistryOptions, depsOf } from './deps.ts';
import { partnerOperations } from './partners.ts';
import { rotationOperations } from './rotation.ts';
import { selfServiceOperations } from './self-service.ts';
import { firstPartyOperations } from './first-party.ts';

export function createRegistry(prisma: PrismaClient, options: RegistryOptions = {}) {
  const deps = depsOf(prisma, options);

  /**
   * The client, for the authorization server (asked on every token request);
   * null when unknown or not usable, itself or its partner. One query: the
   * partner's status is a filter rather than a second fetch, which halves the
   * cost of the lookup on the token endpoint's hot path.
   */
  async function findActiveClient(clientId: string): Promise<Client | null> {
    return prisma.client.findFirst({ where: { clientId, status: 'active', partner: { status: 'active' } } });
  }

  const clients = clientOperations(deps);
  return {
    ...partnerOperations(deps),
    ...clients,
    ...selfServiceOperations(deps, clients),
    ...firstPartyOperations(deps),
    ...rotationOperations(deps),
    ...apiKeyOperations(deps),
    ...auditQueries(deps),
    findActiveClient,
    /** The registry's clock, for collaborators that must agree with it (secret-grace checks). */
    now: deps.now,
  };
}

export type Registry = ReturnType<typeof createRegistry>;
