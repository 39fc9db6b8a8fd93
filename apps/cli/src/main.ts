// `pnpm admin <noun> <verb> [flags]`: the operator's face of the registry.
import { ConfigError } from '@passerelle/config';
import { DatabaseLockedError } from '@passerelle/db';
import { isProblem } from '@passerelle/errors';
import { clients } from './commands/clients.ts';
import { partners } from './commands/partners.ts';
import { openContext } from './context.ts';
import { parseFlags, UsageError } from './flags.ts';

const nouns = { partners, clients } as const;
const usage = `usage: pnpm admin <partners|clients> <action> [--json] [flags]`;

async function main(args: string[]): Promise<number> {
  const { command: [noun, action], flags, json } = parseFlags(args);
  const run = noun && Object.hasOwn(nouns, noun) ? nouns[noun as keyof typeof nouns] : undefined;
  if (!run) {
    console.error(usage);
    return 2;
  }
  const ctx = await openContext(process.env, json);
  try {
    await run(ctx, action, flags);
    return 0;
  } finally {
    await ctx.db.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`usage: pnpm admin ${err.message}`);
    process.exit(2);
  }
  if (isProblem(err)) {
    console.error(`error: ${err.code}: ${err.detail ?? err.message}`);
    for (const issue of err.errors ?? []) console.error(`  ${issue.path}: ${issue.message}`);
  } else if (err instanceof ConfigError || err instanceof DatabaseLockedError) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
