// pnpm admin users create --email ada@example.com --name "Ada" [--partner acme] [--role admin]
// The password is read from standard input (a hidden prompt on a terminal), never
// from a flag, so it lands in neither the shell history nor the process list.
import { createInterface } from 'node:readline';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  process.stderr.write('Password: ');
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export async function users(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  switch (action) {
    case 'create': {
      const email = flags.string('email');
      const name = flags.string('name');
      const partner = flags.optional('partner');
      const role = flags.optional('role');
      const user = await ctx.accounts().createUser(ctx.actor, {
        email, name, password: await readPassword(), ...(partner ? { partner } : {}), ...(role ? { role: role as 'member' | 'admin' } : {}),
      });
      if (ctx.json) ctx.out(JSON.stringify(user));
      else ctx.out(`User ${user.email} created (id ${user.id}).`);
      return;
    }
    default:
      throw new UsageError('users create --email <email> --name <name> [--partner <slug>] [--role member|admin]   (password on standard input)');
  }
}
