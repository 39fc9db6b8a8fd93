// pnpm admin partners create --slug acme --name "Acme Corp"
// pnpm admin partners list [--status active|disabled] [--limit n] [--cursor c]
// pnpm admin partners show|disable|enable <slug>
// pnpm admin partners update <slug> --name "New name"
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';
import { partnerLine, print, printPage } from '../output.ts';

const usage = `partners create --slug <slug> --name <name>
       partners list [--status active|disabled] [--limit <n>] [--cursor <c>]
       partners show|disable|enable <slug>
       partners update <slug> --name <name>`;

export async function partners(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  const { registry, actor } = ctx;
  switch (action) {
    case 'create': {
      const partner = await registry.createPartner(actor, { slug: flags.string('slug'), name: flags.string('name') });
      return print(ctx, partner, () => [`Partner "${partner.slug}" created (id ${partner.id}).`]);
    }
    case 'list': {
      const page = await registry.listPartners({
        ...(flags.optional('status') ? { status: flags.optional('status') as never } : {}),
        ...(flags.optional('limit') ? { limit: flags.number('limit') as number } : {}),
        ...(flags.optional('cursor') ? { cursor: flags.optional('cursor')! } : {}),
      });
      return printPage(ctx, page, partnerLine);
    }
    case 'show': {
      const partner = await registry.getPartner(flags.positional(0, 'slug'));
      return print(ctx, partner, () => [partnerLine(partner), `  id: ${partner.id}`, `  created: ${partner.createdAt.toISOString()}`]);
    }
    case 'update': {
      const partner = await registry.updatePartner(actor, flags.positional(0, 'slug'), { name: flags.string('name') });
      return print(ctx, partner, () => [`Partner "${partner.slug}" is now named "${partner.name}".`]);
    }
    case 'disable':
    case 'enable': {
      const partner = await registry.setPartnerStatus(actor, flags.positional(0, 'slug'), action === 'enable' ? 'active' : 'disabled');
      return print(ctx, partner, () => [`Partner "${partner.slug}" is now ${partner.status}.`]);
    }
    default:
      throw new UsageError(usage);
  }
}
