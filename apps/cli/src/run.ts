// Dispatches `<noun> <verb> [flags]` to its command. Used by main.ts and by
// tests, which run the very same commands against a test database.
import { apiKeys } from './commands/api-keys.ts';
import { audit } from './commands/audit.ts';
import { clients } from './commands/clients.ts';
import { keys } from './commands/keys.ts';
import { partners } from './commands/partners.ts';
import { users } from './commands/users.ts';
import type { CommandContext } from './context.ts';
import { UsageError, type Flags } from './flags.ts';

const nouns = { partners, clients, 'api-keys': apiKeys, audit, keys, users } as const;
export const usage = 'usage: pnpm admin <partners|clients|api-keys|audit|keys|users> <action> [--json] [flags]';

export function isNoun(noun: string | undefined): noun is keyof typeof nouns {
  return noun !== undefined && Object.hasOwn(nouns, noun);
}

export async function runCommand(ctx: CommandContext, noun: string | undefined, action: string | undefined, flags: Flags): Promise<void> {
  if (!isNoun(noun)) throw new UsageError(usage);
  await nouns[noun](ctx, action, flags);
}
