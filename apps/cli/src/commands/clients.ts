// pnpm admin clients create --partner acme --scopes partner:read,orders:read [--name ...] [...]
// pnpm admin clients list [--partner acme] [--status ...] [--name part] [--scope s]
// pnpm admin clients show|disable|enable|delete|end-grace <consumer-key>
// pnpm admin clients update <consumer-key> [--name ...] [--scopes ...] [--ip-allowlist 203.0.113.0/24,...]
// pnpm admin clients rotate-secret <consumer-key> [--grace <seconds>]
// pnpm admin clients signing-key|rotate-signing-key <consumer-key>
import type { UpdateClientInput } from '@passerelle/registry';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';
import { clientDetails, clientLine, print, printPage } from '../output.ts';

const usage = `clients create --partner <slug> --scopes <a,b> [--name <name>] [--grant-types <a,b>] [--redirect-uris <a,b>]
                      [--rate-tier basic|standard|premium] [--signature-policy off|writes|all] [--daily-quota <n>]
                      [--ip-allowlist <cidr,cidr>] [--basic-auth-fallback]
       clients list [--partner <slug>] [--status active|disabled] [--name <part>] [--scope <scope>] [--limit <n>] [--cursor <c>]
       clients show|disable|enable|delete <consumer-key>
       clients update <consumer-key> [--name ...] [--scopes ...] [--grant-types ...] [--redirect-uris ...] [--rate-tier ...]
                      [--signature-policy ...] [--daily-quota <n>|none] [--ip-allowlist <cidrs>|''] [--basic-auth-fallback|--no-basic-auth-fallback]
       clients rotate-secret <consumer-key> [--grace <seconds>]   (default: SECRET_ROTATION_GRACE; 0 = at once)
       clients end-grace <consumer-key>                           (the previous secret stops now)
       clients signing-key|rotate-signing-key <consumer-key>`;

/** The settings flags shared by create and update; only those given are sent. */
function settings(flags: Flags): Omit<UpdateClientInput, 'name'> {
  const quota = flags.optional('daily-quota');
  const fallback = flags.boolean('basic-auth-fallback') ? true : flags.boolean('no-basic-auth-fallback') ? false : undefined;
  const entries = {
    scopes: flags.list('scopes'),
    grantTypes: flags.list('grant-types'),
    redirectUris: flags.list('redirect-uris'),
    rateTier: flags.optional('rate-tier'),
    signaturePolicy: flags.optional('signature-policy'),
    dailyQuota: quota === 'none' ? null : flags.number('daily-quota'),
    ipAllowlist: flags.list('ip-allowlist'),
    basicAuthFallback: fallback,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as never;
}

function secretLines(consumerKey: string, consumerSecret: string): string[] {
  return [
    `  consumer-key:    ${consumerKey}`,
    `  consumer-secret: ${consumerSecret}`,
    'Store the consumer-secret now: it is shown this once and cannot be recovered.',
  ];
}

export async function clients(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  const { registry, actor } = ctx;
  switch (action) {
    case 'create': {
      const partner = flags.string('partner');
      const { client, consumerSecret } = await registry.createClient(actor, {
        partner, name: flags.optional('name') ?? `${partner} client`, scopes: [], ...settings(flags),
      } as never);
      return print(ctx, { client, consumerKey: client.clientId, consumerSecret }, () => [
        `Client "${client.name}" created, scopes: ${client.allowedScopes.join(' ')}`, ...secretLines(client.clientId, consumerSecret),
      ]);
    }
    case 'list': {
      const query = Object.fromEntries(['partner', 'status', 'name', 'scope', 'cursor'].map((f) => [f, flags.optional(f)]).filter(([, v]) => v !== undefined));
      const page = await registry.listClients({ ...query, ...(flags.optional('limit') ? { limit: flags.number('limit') as number } : {}) });
      return printPage(ctx, page, clientLine);
    }
    case 'show': {
      const client = await registry.getClient(flags.positional(0, 'consumer-key'));
      return print(ctx, client, () => clientDetails(client));
    }
    case 'update': {
      const name = flags.optional('name');
      const client = await registry.updateClient(actor, flags.positional(0, 'consumer-key'), { ...(name ? { name } : {}), ...settings(flags) });
      return print(ctx, client, () => ['Client updated.', ...clientDetails(client)]);
    }
    case 'disable':
    case 'enable': {
      const client = await registry.setClientStatus(actor, flags.positional(0, 'consumer-key'), action === 'enable' ? 'active' : 'disabled');
      return print(ctx, client, () => [`Client ${client.clientId} is now ${client.status}.`]);
    }
    case 'delete': {
      const clientId = flags.positional(0, 'consumer-key');
      await registry.deleteClient(actor, clientId);
      return print(ctx, { deleted: clientId }, () => [`Client ${clientId} deleted; its tokens are revoked.`]);
    }
    case 'rotate-secret': {
      const grace = flags.number('grace');
      const rotated = await registry.rotateSecret(actor, flags.positional(0, 'consumer-key'), grace === undefined ? {} : { graceSeconds: grace as number });
      return print(ctx, rotated, () => [
        `New consumer-secret issued for ${rotated.client.clientId}.`,
        ...secretLines(rotated.client.clientId, rotated.consumerSecret),
        rotated.graceEndsAt
          ? `The previous secret keeps working until ${rotated.graceEndsAt.toISOString()}; cut it short with \`clients end-grace\`.`
          : 'The previous secret has stopped working, and every token issued to this client is revoked.',
      ]);
    }
    case 'end-grace': {
      const client = await registry.endSecretGrace(actor, flags.positional(0, 'consumer-key'));
      return print(ctx, client, () => [`The previous secret of ${client.clientId} has stopped working; its tokens are revoked.`]);
    }
    case 'signing-key':
    case 'rotate-signing-key': {
      const clientId = flags.positional(0, 'consumer-key');
      const keys = ctx.signingKeys();
      const key = action === 'signing-key' ? await keys.signingKey(actor, clientId) : await keys.rotateSigningKey(actor, clientId);
      return print(ctx, key, () => [
        `Request-signing key of ${clientId} (version ${key.keyVersion}${action === 'signing-key' ? '' : ', the previous one no longer verifies'}):`,
        `  keyId:       ${key.keyId}`,
        `  signing key: ${key.signingKey}`,
      ]);
    }
    default:
      throw new UsageError(usage);
  }
}
