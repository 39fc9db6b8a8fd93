// API keys (issue 7, seed 003): create (the key is returned this once), list,
// show, revoke. What holds:
// - a key is bound to one client of its partner and acts as that client; its
//   scopes are a subset of the client's allowed scopes, never `admin` (the
//   admin API takes tokens only) nor `profile` (a key names no user);
// - only the key's SHA-256 is stored; no view, audit diff or log holds the key
//   or its hash (the view shows a 10-character display prefix);
// - `within` confines a call to one partner (the portal passes the signed-in
//   user's): another partner's key or client is "not found", exactly as a
//   missing one, so ids reveal nothing;
// - revoking writes `revokedAt` and its audit event in one transaction, and as
//   its last step tells every API process (RegistryOptions.revokeApiKey), which
//   refuse the key within a second. Revoking a revoked key changes nothing.
import type { ApiKey, Prisma } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { displayPrefixOf, generateApiKey, hashApiKey } from './api-key-format.ts';
import type { Deps } from './deps.ts';
import { memberManaged } from './self-service.ts';
import { type ApiKeyListInput, type CreateApiKeyInput, apiKeyListInput, createApiKeyInput, validate } from './inputs.ts';
import { type Page, after, decodeCursor, toPage } from './pagination.ts';

/** Confines a call to one partner's keys and clients (by the partner's id). */
export interface PartnerScope {
  partnerId: string;
}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export interface ApiKeyView {
  id: string;
  name: string;
  /** The consumer-key of the client the key acts as. */
  clientId: string;
  partnerId: string;
  /** `psk_` and the next 6 characters: not secret, shown to tell keys apart. */
  prefix: string;
  scopes: string[];
  status: ApiKeyStatus;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface IssuedApiKey {
  apiKey: ApiKeyView;
  /** The key in clear: shown once, never stored, never shown again. */
  key: string;
}

/** Scopes a key may never carry, whatever its client may have. */
const scopesNeverOnKeys: ReadonlySet<string> = new Set(['admin', 'profile']);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function statusOf(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: number): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

function view(key: ApiKey, now: number): ApiKeyView {
  return {
    id: key.id, name: key.name, clientId: key.clientId, partnerId: key.partnerId, prefix: key.displayPrefix,
    scopes: key.scopes, status: statusOf(key, now), expiresAt: key.expiresAt, revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt, createdAt: key.createdAt,
  };
}

function notFound(what: string): Problem {
  return new Problem('not_found', { detail: `no ${what}` });
}

function statusFilter(status: ApiKeyStatus | undefined, now: Date): Prisma.ApiKeyWhereInput {
  if (status === 'revoked') return { revokedAt: { not: null } };
  if (status === 'expired') return { revokedAt: null, expiresAt: { lte: now } };
  if (status === 'active') return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  return {};
}

export function apiKeyOperations({ prisma, now, revokeApiKey: broadcastRevocation }: Deps) {
  async function findKeyOrThrow(tx: Prisma.TransactionClient, keyId: string, within: PartnerScope | undefined): Promise<ApiKey> {
    const key = uuid.test(keyId) ? await tx.apiKey.findUnique({ where: { id: keyId } }) : null;
    if (!key || (within && key.partnerId !== within.partnerId)) throw notFound(`API key "${keyId}"`);
    return key;
  }

  async function createApiKey(actor: Actor, input: CreateApiKeyInput, within?: PartnerScope): Promise<IssuedApiKey> {
    const data = validate(createApiKeyInput, input);
    const client = await prisma.client.findUnique({ where: { clientId: data.clientId } });
    // Within a partner (the portal), a client carrying `admin` is out of reach (see self-service.ts).
    if (!client || (within && (client.partnerId !== within.partnerId || !memberManaged(client)))) throw notFound(`client "${data.clientId}"`);
    const refused = data.scopes.filter((s) => scopesNeverOnKeys.has(s) || !client.allowedScopes.includes(s));
    if (refused.length > 0) {
      throw new Problem('scope_not_allowed', {
        detail: `an API key of this client may carry only ${client.allowedScopes.filter((s) => !scopesNeverOnKeys.has(s)).join(', ') || 'no scope'}; refused: ${refused.join(', ')}`,
        errors: [{ path: 'scopes', message: `not allowed: ${refused.join(', ')}` }],
      });
    }
    const expiresAt = data.expiresAt ?? null;
    if (expiresAt && expiresAt.getTime() <= now()) {
      throw new Problem('validation_failed', { detail: 'expiresAt: must be in the future', errors: [{ path: 'expiresAt', message: 'must be in the future' }] });
    }
    const key = generateApiKey();
    const created = await prisma.$transaction(async (tx) => {
      const row = await tx.apiKey.create({
        data: {
          partnerId: client.partnerId, clientId: client.clientId, name: data.name, keyHash: hashApiKey(key),
          displayPrefix: displayPrefixOf(key), scopes: [...new Set(data.scopes)], expiresAt,
        },
      });
      await writeAudit(tx, actor, {
        action: 'api_key.create', targetType: 'api_key', targetId: row.id, partnerId: row.partnerId, diff: { after: view(row, now()) },
      });
      return row;
    });
    return { apiKey: view(created, now()), key };
  }

  async function listApiKeys(input: ApiKeyListInput = {}, within?: PartnerScope): Promise<Page<ApiKeyView>> {
    const query = validate(apiKeyListInput, input);
    const partner = query.partner ? await prisma.partner.findUnique({ where: { slug: query.partner } }) : undefined;
    if (query.partner && (!partner || (within && partner.id !== within.partnerId))) throw notFound(`partner "${query.partner}"`);
    const at = new Date(now());
    const rows = await prisma.apiKey.findMany({
      where: {
        AND: [
          within ? { partnerId: within.partnerId } : {},
          partner ? { partnerId: partner.id } : {},
          query.clientId ? { clientId: query.clientId } : {},
          statusFilter(query.status, at),
          after('createdAt', decodeCursor(query.cursor), 'desc'),
        ],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, (r) => r.createdAt, (r) => view(r, at.getTime()));
  }

  async function getApiKey(keyId: string, within?: PartnerScope): Promise<ApiKeyView> {
    return view(await findKeyOrThrow(prisma, keyId, within), now());
  }

  async function revokeApiKey(actor: Actor, keyId: string, within?: PartnerScope): Promise<ApiKeyView> {
    return prisma.$transaction(async (tx) => {
      const before = await findKeyOrThrow(tx, keyId, within);
      // Conditional, so two revocations racing write one audit event.
      const { count } = await tx.apiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: new Date(now()) } });
      const revoked = await findKeyOrThrow(tx, keyId, within);
      if (count === 0) return view(revoked, now());
      await writeAudit(tx, actor, {
        action: 'api_key.revoke', targetType: 'api_key', targetId: keyId, partnerId: revoked.partnerId,
        diff: { before: { status: statusOf(before, now()) }, after: { status: 'revoked', revokedAt: revoked.revokedAt } },
      });
      await broadcastRevocation(keyId);
      return view(revoked, now());
    });
  }

  return { createApiKey, listApiKeys, getApiKey, revokeApiKey };
}
