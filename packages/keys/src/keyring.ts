// The authorization server's signing keys, persisted in the database and shared
// by every instance. The first key is created once, under an advisory lock so
// two instances starting together agree on it; after that a key is never
// regenerated silently: an unreadable key stops the start-up instead.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { PrismaClient } from '@passerelle/db';
import { seal, unseal } from './sealed.ts';

export const SIGNING_ALG = 'ES256';

export interface Keyring {
  /** Private JWKs for oidc-provider's `jwks`, the signing key first. */
  readonly privateJwks: { keys: JWK[] };
  /** What the JWKS endpoint publishes. */
  readonly publicJwks: { keys: JWK[] };
  readonly signingKid: string;
}

export async function createSigningKey(prisma: PrismaClient, kek: Buffer, status: 'staged' | 'active' = 'active'): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  await prisma.signingKey.create({
    data: {
      kid,
      alg: SIGNING_ALG,
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
      encryptedPrivateJwk: seal(JSON.stringify(privateJwk), kek, kid),
      status,
      activatedAt: status === 'active' ? new Date() : null,
    },
  });
  return kid;
}

/** Creates the first signing key when there is none; returns its kid, or undefined when keys existed. */
export async function ensureSigningKey(prisma: PrismaClient, kek: Buffer): Promise<string | undefined> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('passerelle:signing-keys'))`;
    const existing = await tx.signingKey.count({ where: { status: { not: 'retired' } } });
    if (existing > 0) return undefined;
    return createSigningKey(tx as unknown as PrismaClient, kek);
  });
}

export async function loadKeyring(prisma: PrismaClient, kek: Buffer): Promise<Keyring> {
  const rows = await prisma.signingKey.findMany({
    where: { status: { not: 'retired' } },
    orderBy: [{ activatedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
  });
  const active = rows.filter((r) => r.status === 'active');
  if (active.length === 0) throw new Error('no active signing key: run the auth service once, or `pnpm admin keys rotate`');
  const ordered = [...active, ...rows.filter((r) => r.status !== 'active')];
  const keys = ordered.map((row) => JSON.parse(unseal(row.encryptedPrivateJwk, kek, row.kid)) as JWK);
  const publicKeys = ordered.map((row) => row.publicJwk as JWK);
  return { privateJwks: { keys }, publicJwks: { keys: publicKeys }, signingKid: active[0]!.kid };
}
