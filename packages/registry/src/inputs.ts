// The shapes an admin may send, validated the same way whichever face (CLI or
// HTTP) they came through. Unknown fields are refused rather than ignored.
import { z } from 'zod';
import { Problem } from '@passerelle/errors';
import { apiScopeNames, grantTypes } from './scopes.ts';

const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes, 1 to 63 characters');
const displayName = z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]*$/u, 'no control characters');

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);
export const redirectUri = z.string().max(2000).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}, 'must be an https URL without fragment (http only for loopback)');

export const createPartnerInput = z.strictObject({
  slug,
  name: displayName,
});

export const createClientInput = z.strictObject({
  partner: slug,
  name: displayName,
  scopes: z.array(z.enum(apiScopeNames)).min(1).max(apiScopeNames.length),
  grantTypes: z.array(z.enum(grantTypes)).min(1).default(['client_credentials']),
  redirectUris: z.array(redirectUri).max(10).default([]),
  basicAuthFallback: z.boolean().default(false),
  rateTier: z.enum(['basic', 'standard', 'premium']).default('standard'),
  /** When requests must carry an `x-signature`: never, on writes (default), or always. */
  signaturePolicy: z.enum(['off', 'writes', 'all']).default('writes'),
  /** Requests per day; omitted = the rate tier's quota. */
  dailyQuota: z.number().int().min(1).max(100_000_000).optional(),
}).refine((v) => !v.grantTypes.includes('authorization_code') || v.redirectUris.length > 0, {
  path: ['redirectUris'], message: 'authorization_code needs at least one redirect URI',
});

export type CreatePartnerInput = z.input<typeof createPartnerInput>;
export type CreateClientInput = z.input<typeof createClientInput>;

export function validate<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new Problem('validation_failed', {
    errors: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}
