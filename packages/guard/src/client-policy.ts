// What the API needs to know about a client on every request, beyond its token:
// whether it is still active and the policies an admin set on it. The guard
// reads it through a lookup the service provides (database-backed and cached),
// so that a step never queries the database itself.

export type RateTier = 'basic' | 'standard' | 'premium';
export type SignaturePolicy = 'off' | 'writes' | 'all';

export interface ClientPolicy {
  clientId: string;
  partnerId: string;
  active: boolean;
  rateTier: RateTier;
  /** Requests per UTC day; null means the tier's default. */
  dailyQuota: number | null;
  /** The legacy Basic Auth fallback (consumer-key:consumer-secret on the API). */
  basicAuthFallback: boolean;
  signaturePolicy: SignaturePolicy;
  signingKeyVersion: number;
  /** CIDRs the client may call from; empty means any address. */
  ipAllowlist: readonly string[];
}

/** Resolves a consumer-key to its policy; undefined for an unknown client. */
export type ClientPolicyLookup = (clientId: string) => Promise<ClientPolicy | undefined>;
