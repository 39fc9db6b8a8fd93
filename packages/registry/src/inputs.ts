// The shapes an admin may send, validated the same way whichever face (CLI or
// HTTP) they came through. Unknown fields are refused rather than ignored, and
// each kind of refusal has its own documented code (see `codeOf`), so a script
// can tell a bad redirect URI from a bad CIDR without parsing messages.
import { z } from 'zod';
import { Problem, type ErrorCode } from '@passerelle/errors';
import { canonicalCidr } from './cidr.ts';
import { apiScopeNames, grantTypes, partnerScopeNames } from './scopes.ts';

const slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes, 1 to 63 characters');
const displayName = z.string().trim().min(1).max(120).regex(/^[^\p{Cc}]*$/u, 'no control characters');

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);
export const redirectUri = z.string().max(2000).refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash || url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}, 'must be an https URL without fragment or credentials (http only for loopback)');

const scope = z.enum(apiScopeNames, { error: `unknown scope; known scopes: ${apiScopeNames.join(', ')}` });

/** Bounds of a secret-rotation grace period, in seconds: 0 (at once) to 30 days. */
export const MAX_GRACE_SECONDS = 30 * 86_400;
export const graceSeconds = z.number().int().min(0).max(MAX_GRACE_SECONDS);

export const createPartnerInput = z.strictObject({
  slug,
  name: displayName,
});

export const cidr = z.string().max(64).transform((value, ctx) => {
  const canonical = canonicalCidr(value);
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32' });
    return z.NEVER;
  }
  return canonical;
});

export const updatePartnerInput = z.strictObject({
  name: displayName.optional(),
  /** CIDRs the partner's own users may set their clients' IP allowlists within; empty = no bound. */
  ipAllowlistBounds: z.array(cidr).max(100).optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to update' });

const clientFields = {
  name: displayName,
  scopes: z.array(scope).min(1).max(apiScopeNames.length),
  grantTypes: z.array(z.enum(grantTypes)).min(1),
  redirectUris: z.array(redirectUri).max(10),
  basicAuthFallback: z.boolean(),
  rateTier: z.enum(['basic', 'standard', 'premium']),
  /** When requests must carry an `x-signature`: never, on writes (default), or always. */
  signaturePolicy: z.enum(['off', 'writes', 'all']),
  /** Requests per day; omitted (or null on update) = the rate tier's quota. */
  dailyQuota: z.number().int().min(1).max(100_000_000),
  /** CIDRs the client may call from; empty = any address. */
  ipAllowlist: z.array(cidr).max(100),
};

const needsRedirect = (v: { grantTypes?: string[] | undefined; redirectUris?: string[] | undefined }) =>
  !v.grantTypes?.includes('authorization_code') || (v.redirectUris?.length ?? 0) > 0;
const needsRedirectIssue = { path: ['redirectUris'], message: 'authorization_code needs at least one redirect URI' };

export const createClientInput = z.strictObject({
  partner: slug,
  ...clientFields,
  grantTypes: clientFields.grantTypes.default(['client_credentials']),
  redirectUris: clientFields.redirectUris.default([]),
  basicAuthFallback: clientFields.basicAuthFallback.default(false),
  rateTier: clientFields.rateTier.default('standard'),
  signaturePolicy: clientFields.signaturePolicy.default('writes'),
  dailyQuota: clientFields.dailyQuota.optional(),
  ipAllowlist: clientFields.ipAllowlist.default([]),
}).refine(needsRedirect, needsRedirectIssue);

export const updateClientInput = z.strictObject({
  name: clientFields.name.optional(),
  scopes: clientFields.scopes.optional(),
  grantTypes: clientFields.grantTypes.optional(),
  redirectUris: clientFields.redirectUris.optional(),
  basicAuthFallback: clientFields.basicAuthFallback.optional(),
  rateTier: clientFields.rateTier.optional(),
  signaturePolicy: clientFields.signaturePolicy.optional(),
  dailyQuota: clientFields.dailyQuota.nullable().optional(),
  ipAllowlist: clientFields.ipAllowlist.optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to update' });

/** Checked on the merged record, since an update may change either half. */
export const clientRedirectRule = z.object({ grantTypes: z.array(z.string()), redirectUris: z.array(z.string()) })
  .refine(needsRedirect, needsRedirectIssue);

/** What a partner's own user chooses when creating a client in the portal; the rest takes the defaults. */
export const partnerClientInput = z.strictObject({
  name: displayName,
  scopes: z.array(z.enum(partnerScopeNames, { error: `unknown scope; a partner's client may have: ${partnerScopeNames.join(', ')}` }))
    .min(1, 'choose at least one scope').max(partnerScopeNames.length),
});

export const ipAllowlistInput = z.strictObject({ ipAllowlist: clientFields.ipAllowlist });

export const rotateSecretInput = z.strictObject({
  /** Seconds the previous secret keeps working; omitted = the configured default. */
  graceSeconds: graceSeconds.optional(),
});

/** Token-signing-key rotation (CLI `keys rotate`, `POST /signing-keys/rotate`). */
export const rotateSigningKeyInput = z.strictObject({
  /** Seconds until the staged key signs; omitted = KEY_ACTIVATION_DELAY; 0 = at the next refresh (a compromised key). */
  activateInSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional(),
});

/** Retiring a token-signing key (CLI `keys retire`, `POST /signing-keys/{kid}/retire`). */
export const retireSigningKeyInput = z.strictObject({
  /** Withdraw a superseded key whose tokens may still be valid (a compromised key). */
  force: z.boolean().optional(),
});

const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().max(200).optional();

export const partnerListInput = z.strictObject({
  status: z.enum(['active', 'disabled']).optional(),
  limit,
  cursor,
});

export const clientListInput = z.strictObject({
  partner: slug.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  /** Case-insensitive part of the name. */
  name: z.string().max(120).optional(),
  scope: scope.optional(),
  limit,
  cursor,
});

/** An instant given as an ISO 8601 string with offset (HTTP, CLI) or a Date (in-process callers). */
const instant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((v) => new Date(v))]);
const consumerKey = z.string().min(1).max(200);

export const createApiKeyInput = z.strictObject({
  /** The consumer-key of the client the key acts as (its limits, allowlist, signature policy and signing key). */
  clientId: consumerKey,
  name: displayName,
  /** A subset of the client's allowed scopes; `admin` and `profile` are never given to a key. */
  scopes: z.array(scope).min(1).max(apiScopeNames.length),
  /** When the key stops working; omitted or null = it works until revoked. Must be in the future. */
  expiresAt: instant.nullable().optional(),
});

export const apiKeyListInput = z.strictObject({
  partner: slug.optional(),
  /** A consumer-key: only that client's keys. */
  clientId: consumerKey.optional(),
  status: z.enum(['active', 'expired', 'revoked']).optional(),
  limit,
  cursor,
});

export const auditQueryInput = z.strictObject({
  /** A partner's slug: events about that partner's partner, clients and credentials. */
  partner: slug.optional(),
  /** The actor id: a consumer-key for admin clients, `os:<user>` for the CLI, `system` for sweeps. */
  actor: z.string().max(200).optional(),
  /** A consumer-key: events about that client or made by it. */
  client: z.string().max(200).optional(),
  /** An exact action (`client.update`) or a prefix ending in `.*` (`client.*`). */
  action: z.string().regex(/^[a-z_.]+(\.\*)?$|^[a-z_]+\*$/, 'an action such as client.update, or a prefix such as client.*').max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit,
  cursor,
});

export type CreatePartnerInput = z.input<typeof createPartnerInput>;
export type UpdatePartnerInput = z.input<typeof updatePartnerInput>;
export type CreateClientInput = z.input<typeof createClientInput>;
export type UpdateClientInput = z.input<typeof updateClientInput>;
export type PartnerClientInput = z.input<typeof partnerClientInput>;
export type RotateSecretInput = z.input<typeof rotateSecretInput>;
export type PartnerListInput = z.input<typeof partnerListInput>;
export type ClientListInput = z.input<typeof clientListInput>;
export type AuditQueryInput = z.input<typeof auditQueryInput>;
export type RotateSigningKeyInput = z.input<typeof rotateSigningKeyInput>;
export type RetireSigningKeyInput = z.input<typeof retireSigningKeyInput>;
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;
export type ApiKeyListInput = z.input<typeof apiKeyListInput>;

/** The documented code for one validation issue. */
function codeOf(issue: z.core.$ZodIssue): ErrorCode {
  if (issue.code === 'unrecognized_keys') return 'unknown_field';
  const [field, index] = issue.path;
  if (field === 'graceSeconds') return 'grace_out_of_range';
  if (index === undefined) return 'validation_failed';
  if (field === 'redirectUris') return 'invalid_redirect_uri';
  if (field === 'scopes') return 'unknown_scope';
  if (field === 'ipAllowlist' || field === 'ipAllowlistBounds') return 'invalid_cidr';
  return 'validation_failed';
}

export function validate<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const code = issues.map(codeOf).find((c) => c !== 'validation_failed') ?? 'validation_failed';
  throw new Problem(code, {
    detail: issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '),
    errors: issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
    })),
  });
}
