// Password hashing: Argon2id at the OWASP Password Storage Cheat Sheet's first
// recommended setting (m = 19 MiB, t = 2, p = 1), through @node-rs/argon2. The
// PHC string records its own parameters, so raising them later only affects
// new hashes and old ones keep verifying.
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id; the package's const enum is not importable under isolatedModules

export const passwordHashing = Object.freeze({ algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashing);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password, computed once: verifying an unknown account's
 * attempt against it costs the same as a real check, so the answer's timing
 * does not tell whether the account exists.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
