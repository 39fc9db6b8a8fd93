// pnpm admin keys list
// pnpm admin keys rotate [--activate-in <seconds>]
// pnpm admin keys retire <kid> [--force]
// The authorization server's token-signing keys (see @passerelle/keys'
// lifecycle for the timeline). A rotation is scheduled here and carried out by
// the running auth instances, which pick it up within KEY_REFRESH_INTERVAL: no
// restart, no failed request.
import { listSigningKeys, retireSigningKey, stageSigningKey } from '@passerelle/keys';
import { retireSigningKeyInput, rotateSigningKeyInput, validate } from '@passerelle/registry';
import type { CommandContext } from '../context.ts';
import { UsageError, type Flags } from '../flags.ts';

const usage = 'keys list\n       keys rotate [--activate-in <seconds>]\n       keys retire <kid> [--force]';

function when(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

export async function keys(ctx: CommandContext, action: string | undefined, flags: Flags): Promise<void> {
  const tokenKeys = ctx.tokenKeys();
  switch (action) {
    case 'list': {
      const rows = await listSigningKeys(tokenKeys.prisma);
      if (ctx.json) {
        ctx.out(JSON.stringify(rows));
        return;
      }
      ctx.out('kid                                          status    signing  created               activates/activated   retires/retired');
      for (const key of rows) {
        const started = key.status === 'staged' ? key.activatesAt : key.activatedAt;
        const ended = key.status === 'retired' ? key.retiredAt : key.retiresAt;
        ctx.out(`${key.kid.padEnd(44)} ${key.status.padEnd(9)} ${(key.signing ? 'yes' : '').padEnd(8)} ${when(key.createdAt).padEnd(21)} ${when(started).padEnd(21)} ${when(ended)}`);
      }
      return;
    }
    case 'rotate': {
      // The same validation as the admin API's POST /signing-keys/rotate.
      const activateIn = flags.number('activate-in');
      const { activateInSeconds: delay = tokenKeys.activationDelaySeconds } = validate(rotateSigningKeyInput, activateIn === undefined ? {} : { activateInSeconds: activateIn });
      const activatesAt = new Date(Date.now() + delay * 1000);
      const key = await stageSigningKey(tokenKeys.prisma, tokenKeys.kek(), ctx.actor, activatesAt);
      if (ctx.json) {
        ctx.out(JSON.stringify({ kid: key.kid, status: key.status, activatesAt: key.activatesAt }));
        return;
      }
      ctx.out(`Staged signing key ${key.kid}.`);
      ctx.out(`  Published in the JWKS within ${tokenKeys.refreshIntervalSeconds} s; signs from ${when(activatesAt)} (in ${delay} s).`);
      ctx.out('  The current key stays published until every token it signed has expired, then retires on its own.');
      if (delay < tokenKeys.activationDelaySeconds) {
        ctx.out(`  Warning: sooner than KEY_ACTIVATION_DELAY (${tokenKeys.activationDelaySeconds} s): a resource server whose JWKS copy predates this key refuses its tokens until it refetches.`);
      }
      return;
    }
    case 'retire': {
      const { force } = validate(retireSigningKeyInput, { force: flags.boolean('force') });
      const key = await retireSigningKey(tokenKeys.prisma, ctx.actor, flags.positional(0, 'kid'), { force: force ?? false });
      ctx.out(ctx.json ? JSON.stringify({ kid: key.kid, status: key.status, retiredAt: key.retiredAt })
        : `Key ${key.kid} retired: auth instances stop publishing it within ${tokenKeys.refreshIntervalSeconds} s.`);
      return;
    }
    default:
      throw new UsageError(usage);
  }
}
