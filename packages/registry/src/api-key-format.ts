// What an API key looks like (seed 003: "generate an API key ... send it as
// `Authorization: Bearer <key>`"). A key is `psk_` followed by 43 base64url
// characters: 256 random bits, so, like a consumer-secret, a fast SHA-256 is
// all the hashing it needs (there is nothing to guess). The fixed prefix and
// length let secret scanners match leaked keys with API_KEY_PATTERN, and let
// the API tell a key from a JWT without a lookup.
import { randomBytes } from 'node:crypto';
import { hashSecret } from './credentials.ts';

export const API_KEY_PREFIX = 'psk_';

/** The whole key, for secret scanners: `psk_` and 43 base64url characters. */
export const API_KEY_PATTERN = /^psk_[A-Za-z0-9_-]{43}$/;

/** Characters of the key shown in lists (the prefix and 6 more): enough to tell keys apart, far too few to guess the rest. */
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 6;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** What is stored instead of the key: its SHA-256, in the same form as consumer-secret hashes. */
export function hashApiKey(key: string): string {
  return hashSecret(key);
}

export function displayPrefixOf(key: string): string {
  return key.slice(0, DISPLAY_LENGTH);
}
