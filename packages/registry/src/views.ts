// What the outside world may see of a partner or a client: an allowlist of
// fields, so a column added later (a hash, a sealed key) stays hidden until
// someone decides to show it. Secrets and their hashes are never here.
import type { Client, Partner } from '@passerelle/db';

export interface PartnerView {
  id: string;
  slug: string;
  name: string;
  status: Partner['status'];
  /** CIDRs the partner's own users may set their clients' IP allowlists within; empty = no bound. */
  ipAllowlistBounds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ClientView {
  clientId: string;
  partnerId: string;
  name: string;
  status: Client['status'];
  allowedScopes: string[];
  grantTypes: string[];
  redirectUris: string[];
  basicAuthFallback: boolean;
  rateTier: Client['rateTier'];
  dailyQuota: number | null;
  ipAllowlist: string[];
  signaturePolicy: Client['signaturePolicy'];
  /** When the previous consumer-secret stops working; null when no rotation grace is running. */
  secretGraceEndsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function partnerView(p: Partner): PartnerView {
  return {
    id: p.id, slug: p.slug, name: p.name, status: p.status, ipAllowlistBounds: p.ipAllowlistBounds, createdAt: p.createdAt, updatedAt: p.updatedAt,
  };
}

export function clientView(c: Client): ClientView {
  return {
    clientId: c.clientId,
    partnerId: c.partnerId,
    name: c.name,
    status: c.status,
    allowedScopes: c.allowedScopes,
    grantTypes: c.grantTypes,
    redirectUris: c.redirectUris,
    basicAuthFallback: c.basicAuthFallback,
    rateTier: c.rateTier,
    dailyQuota: c.dailyQuota,
    ipAllowlist: c.ipAllowlist,
    signaturePolicy: c.signaturePolicy,
    secretGraceEndsAt: c.previousSecretHash ? c.previousSecretExpiresAt : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The fields that differ between two views, as {before, after}: what an audit diff records. */
export function changes<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}
