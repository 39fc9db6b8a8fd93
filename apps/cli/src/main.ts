// `pnpm admin <noun> <verb> [flags]`: the operator's face of the registry.
// Exit codes: 0 done, 1 refused or failed (the error's code is printed), 2 usage.
import { ConfigError } from '@passerelle/config';
import { DatabaseLockedError } from '@passerelle/db';
import { errorCodes, isProblem } from '@passerelle/errors';
import { openContext } from './context.ts';
import { parseFlags, UsageError } from './flags.ts';
import { isNoun, runCommand, usage } from './run.ts';

async function main(args: string[]): Promise<number> {
  const { command: [noun, action], flags, json } = parseFlags(args);
  if (!isNoun(noun)) {
    console.error(usage);
    return 2;
  }
  const ctx = await openContext(process.env, json);
  try {
    await runCommand(ctx, noun, action, flags);
    return 0;
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`usage: pnpm admin ${err.message}`);
    process.exit(2);
  }
  if (isProblem(err)) {
    if (err.errors?.length) {
      console.error(`error: ${err.code}: ${errorCodes[err.code].title}`);
      for (const issue of err.errors) console.error(`  ${issue.path || '(body)'}: ${issue.message}`);
    } else {
      console.error(`error: ${err.code}: ${err.detail ?? err.message}`);
    }
  } else if (err instanceof ConfigError || err instanceof DatabaseLockedError) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
