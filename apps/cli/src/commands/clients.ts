// pnpm admin clients create --partner acme --name "Acme backend" --scopes partner:read,orders:read
// pnpm admin clients disable|enable <consumer-key>
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

export async function clients(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  switch (action) {
    case 'create': {
      const grantTypes = list(flags.optional('grant-types'));
      const redirectUris = list(flags.optional('redirect-uris'));
      const rateTier = flags.optional('rate-tier');
      const { client, consumerSecret } = await ctx.registry.createClient(ctx.actor, {
        partner: flags.string('partner'),
        name: flags.optional('name') ?? `${flags.string('partner')} client`,
        scopes: list(flags.string('scopes')) as never,
        ...(grantTypes ? { grantTypes: grantTypes as never } : {}),
        ...(redirectUris ? { redirectUris } : {}),
        ...(rateTier ? { rateTier: rateTier as never } : {}),
        basicAuthFallback: flags.boolean('basic-auth-fallback'),
      });
      if (ctx.json) {
        ctx.out(JSON.stringify({ ...client, consumerKey: client.clientId, consumerSecret }));
        return;
      }
      ctx.out(`Client "${client.name}" created, scopes: ${client.allowedScopes.join(' ')}`);
      ctx.out(`  consumer-key:    ${client.clientId}`);
      ctx.out(`  consumer-secret: ${consumerSecret}`);
      ctx.out('Store the consumer-secret now: it is shown this once and cannot be recovered.');
      return;
    }
    case 'disable':
    case 'enable': {
      const clientId = flags.positional(0, 'consumer-key');
      const client = await ctx.registry.setClientStatus(ctx.actor, clientId, action === 'enable' ? 'active' : 'disabled');
      ctx.out(ctx.json ? JSON.stringify(client) : `Client ${client.clientId} is now ${client.status}.`);
      return;
    }
    default:
      throw new UsageError('clients create --partner <slug> --scopes <a,b> [--name <name>] [--grant-types ...] [--redirect-uris ...] [--rate-tier basic|standard|premium] [--basic-auth-fallback]\n       clients disable|enable <consumer-key>');
  }
}
