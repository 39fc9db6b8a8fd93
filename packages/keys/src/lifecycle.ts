// Signing-key rotation without a failed request. A new key goes through:
//   staged   published in the JWKS at once, signs nothing, until `activatesAt`
//            (the activation delay: long enough for every resource server's JWKS
//            cache to have refreshed and learnt it);
//   active   the newest active key signs. The one it supersedes stays published
//            until `retiresAt` = activation + the instances' key refresh
//            interval + the access-token lifetime + a margin: by then every
//            token it signed has expired;
//   retired  in neither the JWKS nor the keyring.
// Transitions are decided by timestamps in the database, so every auth instance
// (and the CLI) agrees on them; whichever instance notices first writes them,
// under the keys' advisory lock, with an audit event in the same transaction.
import { writeAudit, type Actor } from '@passerelle/audit';
import type { PrismaClient, SigningKey } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { createSigningKey, keysLock, keyringOrder } from './keyring.ts';

const lifecycleActor: Actor = { type: 'system', id: 'auth:signing-keys' };

const summary = (key: SigningKey) => ({
  status: key.status, activatesAt: key.activatesAt, activatedAt: key.activatedAt, retiresAt: key.retiresAt, retiredAt: key.retiredAt,
});

/** Stages a new key that starts signing at `activatesAt`. One rotation at a time. */
export async function stageSigningKey(prisma: PrismaClient, kek: Buffer, actor: Actor, activatesAt: Date): Promise<SigningKey> {
  return prisma.$transaction(async (tx) => {
    await keysLock(tx);
    const pending = await tx.signingKey.findFirst({ where: { status: 'staged' } });
    if (pending) {
      throw new Problem('conflict', {
        detail: `key ${pending.kid} is already staged (activates ${pending.activatesAt?.toISOString() ?? 'never'}); retire it to cancel that rotation`,
      });
    }
    const key = await createSigningKey(tx, kek, { status: 'staged', activatesAt });
    await writeAudit(tx, actor, { action: 'signing_key.stage', targetType: 'signing_key', targetId: key.kid, diff: { after: summary(key) } });
    return key;
  });
}

export interface RetireOptions {
  /** Retire a superseded key even though tokens it signed may still be valid (a compromised key). */
  force?: boolean;
  now?: Date;
}

/** The operator's retirement: cancels a staged key, or withdraws a superseded one. Never the signing key. */
export async function retireSigningKey(prisma: PrismaClient, actor: Actor, kid: string, options: RetireOptions = {}): Promise<SigningKey> {
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await keysLock(tx);
    const rows = await tx.signingKey.findMany({ where: { status: { not: 'retired' } } });
    const key = rows.find((r) => r.kid === kid);
    if (!key) throw new Problem('not_found', { detail: `no published signing key ${kid}` });
    if (key.status === 'active' && keyringOrder(rows)[0]?.kid === kid) {
      throw new Problem('conflict', { detail: `key ${kid} is the one signing tokens: rotate first (\`keys rotate\`), then retire it once superseded` });
    }
    if (key.status === 'active' && !options.force && (!key.retiresAt || key.retiresAt > now)) {
      throw new Problem('conflict', {
        detail: `tokens signed by ${kid} may be valid until ${key.retiresAt?.toISOString() ?? 'its successor activates'}; it retires on its own then. --force refuses them now (compromised key)`,
      });
    }
    const retired = await tx.signingKey.update({ where: { kid }, data: { status: 'retired', retiredAt: now } });
    await writeAudit(tx, actor, { action: 'signing_key.retire', targetType: 'signing_key', targetId: kid, diff: { before: summary(key), after: summary(retired) } });
    return retired;
  });
}

export interface AdvanceOptions {
  /** Seconds a superseded key stays published after its successor activates. */
  retireAfterSeconds: number;
  now?: Date;
}

function pendingWork(rows: readonly SigningKey[], now: Date): boolean {
  const ordered = keyringOrder(rows);
  return rows.some((r) => r.status === 'staged' && r.activatesAt !== null && r.activatesAt <= now)
    || ordered.slice(1).some((r) => r.status === 'active' && (r.retiresAt === null || r.retiresAt <= now));
}

/**
 * Applies the transitions that are due: staged keys whose time has come become
 * active (as of their scheduled time, so every instance agrees), superseded keys
 * get their retirement time, and keys past it are retired. Returns whether
 * anything changed. Cheap when nothing is due: one read, no lock.
 */
export async function advanceSigningKeys(prisma: PrismaClient, options: AdvanceOptions): Promise<boolean> {
  const now = options.now ?? new Date();
  if (!pendingWork(await prisma.signingKey.findMany({ where: { status: { not: 'retired' } } }), now)) return false;

  return prisma.$transaction(async (tx) => {
    await keysLock(tx);
    let changed = false;
    for (const key of await tx.signingKey.findMany({ where: { status: 'staged', activatesAt: { lte: now } } })) {
      const active = await tx.signingKey.update({ where: { kid: key.kid }, data: { status: 'active', activatedAt: key.activatesAt } });
      await writeAudit(tx, lifecycleActor, { action: 'signing_key.activate', targetType: 'signing_key', targetId: key.kid, diff: { before: summary(key), after: summary(active) } });
      changed = true;
    }
    // Newest first: each superseded key retires a fixed time after the key that replaced it activated.
    const active = keyringOrder(await tx.signingKey.findMany({ where: { status: 'active' } }));
    for (let i = 1; i < active.length; i += 1) {
      const key = active[i]!;
      const successorActivated = active[i - 1]!.activatedAt ?? now;
      const retiresAt = key.retiresAt ?? new Date(successorActivated.getTime() + options.retireAfterSeconds * 1000);
      const due = retiresAt <= now;
      if (!due && key.retiresAt !== null) continue;
      const data = due ? { retiresAt, status: 'retired' as const, retiredAt: now } : { retiresAt };
      const updated = await tx.signingKey.update({ where: { kid: key.kid }, data });
      await writeAudit(tx, lifecycleActor, {
        action: updated.status === 'retired' ? 'signing_key.retire' : 'signing_key.supersede',
        targetType: 'signing_key', targetId: key.kid, diff: { before: summary(key), after: summary(updated) },
      });
      changed = true;
    }
    return changed;
  });
}

/** What an operator may see of a key: its schedule, never its private part. */
export function signingKeyView(row: SigningKey) {
  return { kid: row.kid, alg: row.alg, ...summary(row), createdAt: row.createdAt };
}

export type SigningKeyView = ReturnType<typeof signingKeyView>;

/** Every key, newest first, for the operator. Never the private part. */
export async function listSigningKeys(prisma: PrismaClient): Promise<(SigningKeyView & { signing: boolean })[]> {
  const rows = await prisma.signingKey.findMany({ orderBy: { createdAt: 'desc' } });
  const signing = keyringOrder(rows.filter((r) => r.status === 'active'))[0]?.kid;
  return rows.map((row) => ({ ...signingKeyView(row), signing: row.kid === signing }));
}
