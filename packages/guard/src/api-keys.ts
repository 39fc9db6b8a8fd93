// What the guard needs to know about an API key (issue 7, seed 003): which
// client it acts as, what it may do, and whether it still works. The service
// provides the lookup (database-backed, cached briefly, dropped on revocation),
// so that no step queries the database itself.

export interface ApiKeyGrant {
  keyId: string;
  /** The consumer-key of the client the key acts as: its limits, allowlist, signature policy and signing key apply. */
  clientId: string;
  partnerId: string;
  /** The key's scopes that its client is still allowed. */
  scopes: readonly string[];
  /** Epoch ms; undefined when the key does not expire. */
  expiresAt: number | undefined;
  revoked: boolean;
}

/** Resolves a presented key (`psk_…`) to its grant; undefined for a key nobody issued. */
export type ApiKeyLookup = (key: string) => Promise<ApiKeyGrant | undefined>;

/** `psk_` and 43 base64url characters (see @passerelle/registry's API_KEY_PATTERN). */
export const apiKeyFormat = /^psk_[A-Za-z0-9_-]{43}$/;
