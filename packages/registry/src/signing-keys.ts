// An admin's access to clients' request-signing keys. The keys are not stored:
// each is derived from the master secret (SIGNATURE_MASTER_KEY) and the
// client's key version, so reading one needs both the database and that
// secret. Every read and every rotation is an audit event, written in the same
// transaction as the read or the change: no audit row, no key.
import type { PrismaClient } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type Actor, writeAudit } from '@passerelle/audit';
import { deriveSigningKey, formatKeyId } from '@passerelle/signatures';

export interface ClientSigningKey {
  clientId: string;
  keyVersion: number;
  /** What the client puts in `x-signature`'s keyId. */
  keyId: string;
  /** The HMAC key, in clear. */
  signingKey: string;
}

export interface SigningKeyRegistryOptions {
  /** Tells the processes caching the client to read it again, after a rotation is committed (see RegistryOptions). */
  announceClientChange?: (clientId: string) => Promise<void>;
}

export function createSigningKeyRegistry(prisma: PrismaClient, masterKey: Uint8Array, { announceClientChange }: SigningKeyRegistryOptions = {}) {
  const present = (clientId: string, keyVersion: number): ClientSigningKey => ({
    clientId, keyVersion, keyId: formatKeyId(clientId, keyVersion), signingKey: deriveSigningKey(masterKey, clientId, keyVersion),
  });

  /** The client's current signing key (audited as `client.signing_key.read`). */
  async function signingKey(actor: Actor, clientId: string): Promise<ClientSigningKey> {
    return prisma.$transaction(async (tx) => {
      const client = await tx.client.findUnique({ where: { clientId }, select: { signingKeyVersion: true, partnerId: true } });
      if (!client) throw new Problem('not_found', { detail: `no client "${clientId}"` });
      await writeAudit(tx, actor, {
        action: 'client.signing_key.read', targetType: 'client', targetId: clientId, partnerId: client.partnerId,
        diff: { keyVersion: client.signingKeyVersion },
      });
      return present(clientId, client.signingKeyVersion);
    });
  }

  /**
   * Bumps the key version: the old key stops verifying as soon as the API sees
   * the new version (at once when the change is announced; otherwise when its
   * client cache expires, within seconds). Returns the new key.
   */
  async function rotateSigningKey(actor: Actor, clientId: string): Promise<ClientSigningKey> {
    const rotated = await prisma.$transaction(async (tx) => {
      const before = await tx.client.findUnique({ where: { clientId }, select: { signingKeyVersion: true } });
      if (!before) throw new Problem('not_found', { detail: `no client "${clientId}"` });
      const after = await tx.client.update({
        where: { clientId }, data: { signingKeyVersion: { increment: 1 } }, select: { signingKeyVersion: true, partnerId: true },
      });
      await writeAudit(tx, actor, {
        action: 'client.signing_key.rotate', targetType: 'client', targetId: clientId, partnerId: after.partnerId,
        diff: { before: { keyVersion: before.signingKeyVersion }, after: { keyVersion: after.signingKeyVersion } },
      });
      return present(clientId, after.signingKeyVersion);
    });
    await announceClientChange?.(clientId);
    return rotated;
  }

  return { signingKey, rotateSigningKey };
}

export type SigningKeyRegistry = ReturnType<typeof createSigningKeyRegistry>;
