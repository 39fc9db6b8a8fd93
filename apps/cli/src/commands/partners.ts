// pnpm admin partners create --slug acme --name "Acme Corp"
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';

export async function partners(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  switch (action) {
    case 'create': {
      const partner = await ctx.registry.createPartner(ctx.actor, { slug: flags.string('slug'), name: flags.string('name') });
      if (ctx.json) ctx.out(JSON.stringify(partner));
      else ctx.out(`Partner "${partner.slug}" created (id ${partner.id}).`);
      return;
    }
    default:
      throw new UsageError('partners create --slug <slug> --name <name>');
  }
}
