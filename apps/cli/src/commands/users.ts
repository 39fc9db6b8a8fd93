// pnpm admin users create --email ada@example.com --name "Ada" [--partner acme] [--role member|admin]   (password on standard input)
// pnpm admin users list [--partner acme] [--status active|disabled] [--limit n] [--cursor c]
// pnpm admin users show <email|id>
// pnpm admin users disable|enable <email|id>
// pnpm admin users reset-password <email|id>                                      (new password on standard input)
// Disabling and resetting end every session, grant and token the user holds.
import type { UserView } from '@passerelle/accounts';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';
import { print, printPage } from '../output.ts';

const usage = `users create --email <email> --name <name> [--partner <slug>] [--role member|admin]   (password on standard input)
       users list [--partner <slug>] [--status active|disabled] [--limit <n>] [--cursor <c>]
       users show|disable|enable <email|id>
       users reset-password <email|id>                              (new password on standard input)`;

const userLine = (u: UserView) => `${u.id}\t${u.status}\t${u.role}\t${u.email}\t${u.name}`;

export async function users(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  const { actor } = ctx;
  switch (action) {
    case 'create': {
      const email = flags.string('email');
      const name = flags.string('name');
      const partner = flags.optional('partner');
      const role = flags.optional('role');
      const user = await ctx.accounts().createUser(actor, {
        email, name, password: await ctx.readPassword(), ...(partner ? { partner } : {}), ...(role ? { role: role as 'member' | 'admin' } : {}),
      });
      return print(ctx, user, () => [`User ${user.email} created (id ${user.id}).`]);
    }
    case 'list': {
      const query = Object.fromEntries(['partner', 'status', 'cursor'].map((f) => [f, flags.optional(f)]).filter(([, v]) => v !== undefined));
      const page = await ctx.accounts().listUsers({ ...query, ...(flags.optional('limit') ? { limit: flags.number('limit') as number } : {}) });
      return printPage(ctx, page, userLine);
    }
    case 'show': {
      const user = await ctx.accounts().findUser(flags.positional(0, 'email|id'));
      return print(ctx, user, () => [
        userLine(user),
        `  partner id:       ${user.partnerId ?? '-'}`,
        `  password changed: ${user.passwordChangedAt.toISOString()}`,
        `  created:          ${user.createdAt.toISOString()}`,
      ]);
    }
    case 'disable':
    case 'enable': {
      const user = await ctx.accounts().setUserStatus(actor, flags.positional(0, 'email|id'), action === 'enable' ? 'active' : 'disabled');
      return print(ctx, user, () => [
        `User ${user.email} is now ${user.status}.`,
        ...(user.status === 'disabled' ? ['Every session, grant and token of the user has ended.'] : []),
      ]);
    }
    case 'reset-password': {
      const ref = flags.positional(0, 'email|id');
      const user = await ctx.accounts().resetPassword(actor, ref, { password: await ctx.readPassword() });
      return print(ctx, user, () => [
        `Password of ${user.email} reset; every session, grant and token of the user has ended, and any sign-in lock is lifted.`,
      ]);
    }
    default:
      throw new UsageError(usage);
  }
}
