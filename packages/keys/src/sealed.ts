// Private signing keys are stored sealed with AES-256-GCM under a
// key-encryption key that lives in configuration, never in the database: a
// database dump alone cannot sign tokens. The kid is bound as associated data,
// so a sealed key cannot be swapped onto another row unnoticed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SealError extends Error {
  readonly code = 'signing_key_unreadable';
}

export function seal(plaintext: string, kek: Buffer, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export function unseal(sealed: string, kek: Buffer, kid: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) throw new SealError(`signing key ${kid} is not in a known sealed format`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new SealError(`signing key ${kid} cannot be decrypted: is SIGNING_KEY_ENCRYPTION_KEY the one it was sealed with?`, { cause });
  }
}
