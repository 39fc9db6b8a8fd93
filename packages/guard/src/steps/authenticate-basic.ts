// The legacy Basic fallback: `Authorization: Basic base64(consumer-key:consumer-secret)`
// (RFC 7617), for partners that cannot yet fetch tokens. It enforces:
// - only for a client whose record allows it (`basicAuthFallback`, off by
//   default) and that is active;
// - the secret is checked against the client's stored hash (or the previous
//   one during its rotation grace period), by the check the service provides;
// - the client gets its allowed scopes, and the same limits as with a token;
// - failures are counted per consumer-key, which locks out after the limit;
// - every refusal is the same 401 `invalid_credentials`, whatever was wrong
//   (unknown key, wrong secret, fallback off, client disabled), and costs the
//   same: the secret is checked even when the answer is already known to be no.
import { Problem } from '@passerelle/errors';
import type { ClientPolicyLookup } from '../client-policy.ts';
import type { GuardContext } from '../context.ts';
import { lockedOut, type FailureGate } from '../failure-gate.ts';
import type { Principal } from '../principal.ts';

/** What a verified consumer-secret grants; undefined when the secret is wrong or the client unknown. */
export type BasicSecretCheck = (consumerKey: string, secret: string) => Promise<{ allowedScopes: readonly string[] } | undefined>;

export interface BasicFallbackOptions {
  checkSecret: BasicSecretCheck;
  /** Failed attempts per consumer-key. */
  keyFailures: FailureGate;
  /** Deprecation, Link and Sunset, set on every Basic response. */
  responseHeaders: Readonly<Record<string, string>>;
}

const MAX_PART_LENGTH = 256;

function refused(): Problem {
  // The challenge names Bearer: that is what a partner should move to, and a
  // Basic challenge would make browsers prompt for a password.
  return new Problem('invalid_credentials', { challenge: {} });
}

function parseBasic(authorization: string): { consumerKey: string; secret: string } | undefined {
  const match = /^basic ([A-Za-z0-9+/]+=*)$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const consumerKey = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (!secret || consumerKey.length > MAX_PART_LENGTH || secret.length > MAX_PART_LENGTH) return undefined;
  return { consumerKey, secret };
}

export function basicAuthenticator(options: BasicFallbackOptions, clients: ClientPolicyLookup) {
  return async function authenticateBasic(ctx: GuardContext): Promise<Principal> {
    const credentials = parseBasic(ctx.get('authorization'));
    if (!credentials) throw refused();
    const { consumerKey, secret } = credentials;
    const retryAfter = options.keyFailures.lockedFor(consumerKey);
    if (retryAfter !== undefined) {
      ctx.state.attempt.lockedOut = 'consumer_key';
      throw lockedOut(retryAfter);
    }

    const [policy, granted] = await Promise.all([clients(consumerKey), options.checkSecret(consumerKey, secret)]);
    if (policy) Object.assign(ctx.state.attempt, { clientId: policy.clientId, partnerId: policy.partnerId });
    if (!granted || !policy?.active || !policy.basicAuthFallback) {
      if (await options.keyFailures.fail(consumerKey)) (ctx.state.attempt.startedLockout ??= []).push('consumer_key');
      throw refused();
    }

    const now = Math.floor(Date.now() / 1000);
    return {
      credential: 'basic',
      clientId: policy.clientId,
      subject: policy.clientId,
      userId: undefined,
      partnerId: policy.partnerId,
      scopes: new Set(granted.allowedScopes),
      // Not a token: a stable id of the credential, and "issued" as it is checked.
      tokenId: `basic:${policy.clientId}`,
      issuedAt: now,
      expiresAt: now,
    };
  };
}
