// Signing keys: the key that seals them at rest, and the timing of a rotation.
// Read by the auth service (which applies the transitions and signs) and by
// `pnpm admin keys` (which seals new keys and schedules them). For a rotation
// with no failed request, KEY_ACTIVATION_DELAY must exceed every resource
// server's JWKS_CACHE_MAX_AGE plus KEY_REFRESH_INTERVAL: the new key is then in
// every cache before the first token it signs arrives.
import { z } from 'zod';
import { aesKey } from './fields.ts';

const wholeSeconds = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const signingKeyEnv = {
  SIGNING_KEY_ENCRYPTION_KEY: aesKey.optional()
    .describe('32 random bytes, base64url: seals the token-signing keys stored in the database. Required in shared mode; generated into the data folder in embedded mode.'),
  KEY_ACTIVATION_DELAY: wholeSeconds(900, 0, 30 * 86_400)
    .describe('Seconds between `pnpm admin keys rotate` and the new key signing (900). The key is published meanwhile; keep it above the API\'s `JWKS_CACHE_MAX_AGE` + `KEY_REFRESH_INTERVAL`.'),
  KEY_REFRESH_INTERVAL: wholeSeconds(10, 1, 3_600)
    .describe('How often each auth instance re-reads the signing keys and applies due transitions, in seconds (10).'),
  KEY_RETIREMENT_MARGIN: wholeSeconds(60, 0, 86_400)
    .describe('Seconds a superseded key stays published beyond `KEY_REFRESH_INTERVAL` + `ACCESS_TOKEN_TTL` after its successor activates (60): clock skew and the API\'s `TOKEN_CLOCK_TOLERANCE`.'),
} as const;
