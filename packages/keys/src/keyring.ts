// The authorization server's signing keys, persisted in the database and shared
// by every instance. The first key is created once, under an advisory lock so
// two instances starting together agree on it; after that a key is never
// regenerated silently: an unreadable key stops the start-up instead.
//
// What a keyring holds, by status (see lifecycle.ts for how keys move):
// - active: the newest signs; older active keys are published for verification
//   only, until the tokens they signed have expired;
// - staged: published, so resource servers learn it before it signs anything;
// - retired: gone from both.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Prisma, PrismaClient, SigningKey } from '@passerelle/db';
import { seal, unseal } from './sealed.ts';

export const SIGNING_ALG = 'ES256';

/** Serialises every change to the signing keys across instances and the CLI. */
export const keysLock = (tx: Prisma.TransactionClient) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('passerelle:signing-keys'))`;

export interface Keyring {
  /** Private JWKs for oidc-provider's `jwks`, the signing key first (oidc-provider signs with the first that fits). */
  readonly privateJwks: { keys: JWK[] };
  /** What the JWKS endpoint publishes. */
  readonly publicJwks: { keys: JWK[] };
  readonly signingKid: string;
}

export interface NewKey {
  status: 'staged' | 'active';
  /** For a staged key: when it starts signing. */
  activatesAt?: Date;
}

export async function createSigningKey(db: Prisma.TransactionClient, kek: Buffer, key: NewKey = { status: 'active' }): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  return db.signingKey.create({
    data: {
      kid,
      alg: SIGNING_ALG,
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
      encryptedPrivateJwk: seal(JSON.stringify(privateJwk), kek, kid),
      status: key.status,
      activatesAt: key.status === 'staged' ? key.activatesAt ?? null : null,
      activatedAt: key.status === 'active' ? new Date() : null,
    },
  });
}

/** Creates a signing key when none is active; returns its kid, or undefined when one was. */
export async function ensureSigningKey(prisma: PrismaClient, kek: Buffer): Promise<string | undefined> {
  return prisma.$transaction(async (tx) => {
    await keysLock(tx);
    const existing = await tx.signingKey.count({ where: { status: 'active' } });
    if (existing > 0) return undefined;
    return (await createSigningKey(tx, kek)).kid;
  });
}

/** The published keys in keyring order: active keys newest first (the first signs), then staged ones. */
export function keyringOrder(rows: readonly SigningKey[]): SigningKey[] {
  const newestFirst = (a: SigningKey, b: SigningKey) =>
    (b.activatedAt?.getTime() ?? 0) - (a.activatedAt?.getTime() ?? 0) || b.createdAt.getTime() - a.createdAt.getTime();
  return [
    ...rows.filter((r) => r.status === 'active').sort(newestFirst),
    ...rows.filter((r) => r.status === 'staged').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
  ];
}

export function keyringOf(rows: readonly SigningKey[], kek: Buffer): Keyring {
  const ordered = keyringOrder(rows);
  const signing = ordered[0];
  if (signing?.status !== 'active') throw new Error('no active signing key: run the auth service once, or `pnpm admin keys rotate --activate-in 0`');
  const keys = ordered.map((row) => JSON.parse(unseal(row.encryptedPrivateJwk, kek, row.kid)) as JWK);
  const publicKeys = ordered.map((row) => row.publicJwk as JWK);
  return { privateJwks: { keys }, publicJwks: { keys: publicKeys }, signingKid: signing.kid };
}

export async function loadKeyring(prisma: PrismaClient, kek: Buffer): Promise<Keyring> {
  return keyringOf(await prisma.signingKey.findMany({ where: { status: { not: 'retired' } } }), kek);
}
