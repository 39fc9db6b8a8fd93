// Consumer-secret rotation with a grace period. The timeline:
// - rotate: a new secret is issued (returned once). With a grace G > 0 the old
//   hash moves to previousSecretHash, accepted until now + G; with G = 0 there
//   is no previous secret and the client's tokens are revoked at once.
// - during the grace both secrets authenticate (the authorization server checks
//   previousSecretExpiresAt against its clock on every attempt, so the old
//   secret stops at the second the grace ends, whether or not anything ran).
// - end of grace, on its own: `endExpiredGraces` (run every second by each auth
//   service, idempotent across processes) clears the old hash, audits
//   `client.secret.grace_end` as the system, and revokes every token issued up
//   to that moment, including ones obtained with the new secret during the
//   grace: "every token already issued" is the rule, and a partner simply
//   fetches a fresh one. The "not before" is therefore written when the grace
//   ends, not at rotation time, because a future "not before" would refuse
//   tokens minted during the grace at once.
// - cut short: `endSecretGrace` does the same immediately, on an admin's word.
// A second rotation while a grace runs is refused (409) unless its grace is 0,
// so an operator never silently drops a secret a partner still relies on.
import type { Prisma } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { findClientOrThrow } from './clients.ts';
import { generateConsumerSecret, hashSecret } from './credentials.ts';
import type { Deps } from './deps.ts';
import { type RotateSecretInput, rotateSecretInput, validate } from './inputs.ts';
import { type ClientView, clientView } from './views.ts';

export interface RotatedSecret {
  client: ClientView;
  /** The new consumer-secret in clear: shown once. */
  consumerSecret: string;
  /** When the previous secret stops working; null when it already has. */
  graceEndsAt: Date | null;
}

const systemActor: Actor = { type: 'system', id: 'system', credential: 'timer' };

export function rotationOperations({ prisma, now, revokeClient, announceClientChange, defaultGraceSeconds }: Deps) {
  function graceRunning(client: { previousSecretHash: string | null; previousSecretExpiresAt: Date | null }): boolean {
    return client.previousSecretHash !== null && client.previousSecretExpiresAt !== null && client.previousSecretExpiresAt.getTime() > now();
  }

  async function rotateSecret(actor: Actor, clientId: string, input: RotateSecretInput = {}): Promise<RotatedSecret> {
    const { graceSeconds = defaultGraceSeconds } = validate(rotateSecretInput, input);
    const consumerSecret = generateConsumerSecret();
    const rotated = await prisma.$transaction(async (tx) => {
      const before = await findClientOrThrow(tx, clientId);
      if (graceSeconds > 0 && graceRunning(before)) {
        throw new Problem('conflict', {
          detail: `a rotation grace is running until ${before.previousSecretExpiresAt!.toISOString()}; end it first, or rotate with a grace of 0`,
        });
      }
      const graceEndsAt = graceSeconds > 0 ? new Date(now() + graceSeconds * 1000) : null;
      const updated = await tx.client.update({
        where: { clientId },
        data: {
          secretHash: hashSecret(consumerSecret),
          previousSecretHash: graceEndsAt ? before.secretHash : null,
          previousSecretExpiresAt: graceEndsAt,
        },
      });
      await writeAudit(tx, actor, {
        action: 'client.secret.rotate', targetType: 'client', targetId: clientId, partnerId: before.partnerId,
        diff: { after: { graceSeconds, graceEndsAt } },
      });
      if (!graceEndsAt) await revokeClient(clientId);
      return { client: clientView(updated), consumerSecret, graceEndsAt };
    });
    // The new secret works on every process at once, not when caches expire.
    await announceClientChange(clientId);
    return rotated;
  }

  /** Ends a client's grace if `expiredOnly` allows: returns whether this call ended it. */
  async function endGrace(tx: Prisma.TransactionClient, actor: Actor, clientId: string, expiresAt: Date, reason: 'cut_short' | 'expired'): Promise<boolean> {
    // Conditional on the very grace we saw, so two auth processes sweeping at
    // once (or a sweep racing an admin) end it exactly once.
    const { count } = await tx.client.updateMany({
      where: { clientId, previousSecretExpiresAt: expiresAt, previousSecretHash: { not: null } },
      data: { previousSecretHash: null, previousSecretExpiresAt: null },
    });
    if (count === 0) return false;
    const client = await findClientOrThrow(tx, clientId);
    await writeAudit(tx, actor, {
      action: 'client.secret.grace_end', targetType: 'client', targetId: clientId, partnerId: client.partnerId,
      diff: { before: { graceEndsAt: expiresAt }, after: { graceEndsAt: null, reason } },
    });
    await revokeClient(clientId);
    return true;
  }

  /** Cuts a running grace short: the previous secret stops now and the client's tokens are revoked. */
  async function endSecretGrace(actor: Actor, clientId: string): Promise<ClientView> {
    const ended = await prisma.$transaction(async (tx) => {
      const client = await findClientOrThrow(tx, clientId);
      if (!graceRunning(client)) throw new Problem('conflict', { detail: 'no rotation grace is running for this client' });
      await endGrace(tx, actor, clientId, client.previousSecretExpiresAt!, 'cut_short');
      return clientView(await findClientOrThrow(tx, clientId));
    });
    await announceClientChange(clientId);
    return ended;
  }

  /** Ends every grace whose time has come; returns the consumer-keys it ended. */
  async function endExpiredGraces(): Promise<string[]> {
    const due = await prisma.client.findMany({
      where: { previousSecretHash: { not: null }, previousSecretExpiresAt: { lte: new Date(now()) } },
      select: { clientId: true, previousSecretExpiresAt: true },
      take: 100,
    });
    const ended: string[] = [];
    for (const { clientId, previousSecretExpiresAt } of due) {
      const done = await prisma.$transaction((tx) => endGrace(tx, systemActor, clientId, previousSecretExpiresAt!, 'expired'));
      if (!done) continue;
      await announceClientChange(clientId);
      ended.push(clientId);
    }
    return ended;
  }

  return { rotateSecret, endSecretGrace, endExpiredGraces };
}
