// Per-client request-signing keys, derived and never stored. Each key is
// HKDF-SHA256 (RFC 5869) of the server's master secret (configuration, never in
// the database) with the client's id and key version as `info`. So a database
// dump yields neither a signing key nor, since consumer-secrets are hashed, a
// token; bumping the client's `signingKeyVersion` rotates its key.
import { hkdfSync } from 'node:crypto';

const SALT = 'passerelle/request-signing';
const KEY_BYTES = 32;

/** The signing key a client signs with: `sk_` + 32 bytes, base64url (the prefix is for secret scanners). */
export function deriveSigningKey(masterKey: Uint8Array, clientId: string, keyVersion: number): string {
  if (masterKey.length < 32) throw new Error('the signature master key must be at least 32 bytes');
  // NUL separators keep (client "a1", version 2) apart from (client "a", version 12).
  const info = `signing-key\0${clientId}\0${keyVersion}`;
  return `sk_${Buffer.from(hkdfSync('sha256', masterKey, SALT, info, KEY_BYTES)).toString('base64url')}`;
}

/** `<consumer-key>.v<version>`: names the key in `x-signature` (consumer-keys never contain a dot). */
export function formatKeyId(clientId: string, keyVersion: number): string {
  return `${clientId}.v${keyVersion}`;
}

const keyIdPattern = /^([A-Za-z0-9_-]{1,128})\.v([1-9][0-9]{0,8})$/;

export function parseKeyId(keyId: string): { clientId: string; keyVersion: number } | undefined {
  const match = keyIdPattern.exec(keyId);
  return match ? { clientId: match[1]!, keyVersion: Number(match[2]) } : undefined;
}
