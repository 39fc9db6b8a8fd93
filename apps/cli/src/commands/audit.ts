// pnpm admin audit list [--actor a] [--client ck_...] [--action client.*] [--from iso] [--to iso] [--limit n] [--cursor c]
// pnpm admin audit export [same filters] > audit.ndjson      (JSON lines, oldest first, every match)
import type { AuditEventView, AuditQueryInput } from '@passerelle/registry';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';
import { printPage } from '../output.ts';

const usage = `audit list [--actor <id>] [--client <consumer-key>] [--action <action|prefix.*>] [--from <iso>] [--to <iso>] [--limit <n>] [--cursor <c>]
       audit export [same filters]   (JSON lines on stdout, oldest first)`;

function filter(flags: Flags): AuditQueryInput {
  const query = Object.fromEntries(['actor', 'client', 'action', 'from', 'to', 'cursor'].map((f) => [f, flags.optional(f)]).filter(([, v]) => v !== undefined));
  return { ...query, ...(flags.optional('limit') ? { limit: flags.number('limit') as number } : {}) };
}

const line = (e: AuditEventView) =>
  `${e.at.toISOString()}\t${e.action}\t${e.outcome}\t${e.actorType}:${e.actorId}\t${e.targetType ?? '-'}:${e.targetId ?? '-'}${e.diff ? `\t${JSON.stringify(e.diff)}` : ''}`;

export async function audit(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  switch (action) {
    case 'list':
      return printPage(ctx, await ctx.registry.listAuditEvents(filter(flags)), line);
    case 'export':
      for await (const event of await ctx.registry.exportAuditEvents(filter(flags))) ctx.out(JSON.stringify(event));
      return;
    default:
      throw new UsageError(usage);
  }
}
