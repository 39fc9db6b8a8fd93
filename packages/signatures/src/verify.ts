// Verifies a request's `x-signature` for the client its bearer token names.
// - the key id names that client and its current key version;
// - the HMAC-SHA256 over the canonical request (see reference-signer.ts) matches,
//   compared in constant time (crypto.timingSafeEqual on two 32-byte buffers);
// - the timestamp is within ±windowSeconds of the server's clock;
// - the signature has not been seen inside that window: the replay cache is the
//   shared store (Redis in shared mode), so a replay to another API process fails too.
// Checks run in that order, so an expired or replayed request is reported as
// such only when its signature is genuine.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '@passerelle/store';
import { parseSignatureHeader } from './header.ts';
import { deriveSigningKey, parseKeyId } from './keys.ts';
import { canonicalRequest } from './reference-signer.ts';

export const DEFAULT_SIGNATURE_WINDOW = 300;

/** Why a signature was refused. Safe to log; never includes the signature itself. */
export type SignatureFailure =
  | 'missing'         // no x-signature header
  | 'malformed'       // the header or the request target cannot be parsed
  | 'wrong_key'       // the key id names another client or another key version
  | 'mismatch'        // the MAC does not match the request
  | 'expired'         // genuine, but the timestamp is outside the window
  | 'replayed';       // genuine, and already used inside the window

export type SignatureResult = { ok: true } | { ok: false; reason: SignatureFailure };

export interface SignedRequest {
  method: string;
  /** The path as received, still percent-encoded. */
  path: string;
  /** The query string as received, without '?'. */
  query: string;
  body: Uint8Array;
  /** The x-signature header, if any. */
  header: string | undefined;
  clientId: string;
  keyVersion: number;
}

export interface SignatureVerifierOptions {
  /** The server's master secret; client keys are derived from it. */
  masterKey: Uint8Array;
  replayCache: Pick<KeyValueStore, 'setIfAbsent'>;
  windowSeconds?: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

export type SignatureVerifier = (request: SignedRequest) => Promise<SignatureResult>;

export function createSignatureVerifier(options: SignatureVerifierOptions): SignatureVerifier {
  const window = options.windowSeconds ?? DEFAULT_SIGNATURE_WINDOW;
  const now = options.now ?? Date.now;
  const masterKey = Buffer.from(options.masterKey);

  return async function verifySignature(request) {
    if (request.header === undefined) return { ok: false, reason: 'missing' };
    const header = parseSignatureHeader(request.header);
    if (!header) return { ok: false, reason: 'malformed' };
    const key = parseKeyId(header.keyId);
    if (!key || key.clientId !== request.clientId || key.keyVersion !== request.keyVersion) {
      return { ok: false, reason: 'wrong_key' };
    }

    let canonical: string;
    try {
      const target = request.query ? `${request.path}?${request.query}` : request.path;
      canonical = canonicalRequest({ method: request.method, target, body: request.body }, header.keyId, header.timestamp);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const expected = createHmac('sha256', deriveSigningKey(masterKey, request.clientId, request.keyVersion))
      .update(canonical, 'utf8').digest();
    if (expected.length !== header.signature.length || !timingSafeEqual(expected, header.signature)) return { ok: false, reason: 'mismatch' };

    const nowSeconds = Math.floor(now() / 1000);
    if (Math.abs(nowSeconds - header.timestamp) > window) return { ok: false, reason: 'expired' };

    // Remember it until it would be expired anyway; the key is the verified MAC.
    const ttl = header.timestamp + window - nowSeconds + 1;
    const fresh = await options.replayCache.setIfAbsent(`sig:seen:${expected.toString('base64url')}`, '1', ttl);
    return fresh ? { ok: true } : { ok: false, reason: 'replayed' };
  };
}
