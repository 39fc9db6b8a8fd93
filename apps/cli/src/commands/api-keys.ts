// pnpm admin api-keys create --client <consumer-key> --scopes orders:read[,…] [--name <name>] [--expires-at <ISO 8601>]
// pnpm admin api-keys list [--partner <slug>] [--client <consumer-key>] [--status active|expired|revoked]
// pnpm admin api-keys show|revoke <key-id>
import type { ApiKeyView } from '@passerelle/registry';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';
import { print, printPage } from '../output.ts';

const usage = `api-keys create --client <consumer-key> --scopes <a,b> [--name <name>] [--expires-at <ISO 8601 date-time>]
       api-keys list [--partner <slug>] [--client <consumer-key>] [--status active|expired|revoked] [--limit <n>] [--cursor <c>]
       api-keys show|revoke <key-id>`;

const keyLine = (k: ApiKeyView) => `${k.id}\t${k.prefix}…\t${k.status}\t${k.clientId}\t${k.name}\t${k.scopes.join(' ')}`;

function keyDetails(k: ApiKeyView): string[] {
  return [
    `API key ${k.id} (${k.status})`,
    `  name:       ${k.name}`,
    `  prefix:     ${k.prefix}…`,
    `  client:     ${k.clientId}`,
    `  partner id: ${k.partnerId}`,
    `  scopes:     ${k.scopes.join(' ')}`,
    `  expires:    ${k.expiresAt?.toISOString() ?? 'never'}`,
    `  revoked:    ${k.revokedAt?.toISOString() ?? '-'}`,
    `  last used:  ${k.lastUsedAt?.toISOString() ?? '-'}`,
    `  created:    ${k.createdAt.toISOString()}`,
  ];
}

export async function apiKeys(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  const { registry, actor } = ctx;
  switch (action) {
    case 'create': {
      const clientId = flags.string('client');
      const expiresAt = flags.optional('expires-at');
      const { apiKey, key } = await registry.createApiKey(actor, {
        clientId, name: flags.optional('name') ?? 'API key', scopes: (flags.list('scopes') ?? []) as never, ...(expiresAt ? { expiresAt } : {}),
      });
      return print(ctx, { apiKey, key }, () => [
        `API key "${apiKey.name}" created for ${apiKey.clientId}, scopes: ${apiKey.scopes.join(' ')}, expires: ${apiKey.expiresAt?.toISOString() ?? 'never'}`,
        `  id:  ${apiKey.id}`,
        `  key: ${key}`,
        'Store the key now: it is shown this once and cannot be recovered. Send it as `Authorization: Bearer <key>`.',
      ]);
    }
    case 'list': {
      const query = Object.fromEntries(
        [['partner', 'partner'], ['clientId', 'client'], ['status', 'status'], ['cursor', 'cursor']]
          .map(([field, flag]) => [field, flags.optional(flag!)]).filter(([, v]) => v !== undefined),
      );
      const page = await registry.listApiKeys({ ...query, ...(flags.optional('limit') ? { limit: flags.number('limit') as number } : {}) });
      return printPage(ctx, page, keyLine);
    }
    case 'show': {
      const key = await registry.getApiKey(flags.positional(0, 'key-id'));
      return print(ctx, key, () => keyDetails(key));
    }
    case 'revoke': {
      const key = await registry.revokeApiKey(actor, flags.positional(0, 'key-id'));
      return print(ctx, key, () => [`API key ${key.id} (${key.prefix}…) is revoked; the API refuses it within a second.`]);
    }
    default:
      throw new UsageError(usage);
  }
}
