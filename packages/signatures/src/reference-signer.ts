// Passerelle request signatures: the reference signer (Node.js 18+, no dependencies).
// Copy this file as it is. It returns the value of the `x-signature` header.
// The API verifies with this same canonicalRequest, so the two cannot disagree.
import { createHash, createHmac } from 'node:crypto';

export interface RequestToSign {
  /** 'GET', 'POST', ... */
  method: string;
  /** Path and query exactly as sent, e.g. '/v1/orders?limit=10&status=open'. */
  target: string;
  /** The exact body bytes sent; omit (or '') when there is none. */
  body?: string | Uint8Array;
}

export interface SigningCredentials {
  /** e.g. 'ck_Qm9vZkJ1dHRvbjEyMw.v1' (consumer-key, '.v', key version) */
  keyId: string;
  /** e.g. 'sk_…', used as is (its UTF-8 bytes) as the HMAC-SHA256 key */
  signingKey: string;
}

const unreserved = /[A-Za-z0-9\-._~]/;

// Percent-decodes to bytes, then encodes every byte except RFC 3986 unreserved
// characters as %XX (upper case). In the query, '+' means a space.
function normalize(raw: string, plusIsSpace: boolean): string {
  const input = Buffer.from(raw, 'utf8');
  let out = '';
  for (let i = 0; i < input.length; i += 1) {
    let byte = input[i]!;
    if (byte === 0x25) {
      const hex = input.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error('malformed percent-encoding in the request target');
      byte = parseInt(hex, 16);
      i += 2;
    } else if (byte === 0x2b && plusIsSpace) {
      byte = 0x20;
    }
    const char = String.fromCharCode(byte);
    out += unreserved.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function canonicalRequest(request: RequestToSign, keyId: string, timestamp: number): string {
  const queryStart = request.target.indexOf('?');
  const path = queryStart === -1 ? request.target : request.target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : request.target.slice(queryStart + 1);
  const pairs = query.split('&').filter((pair) => pair !== '').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    return `${normalize(name, true)}=${normalize(value, true)}`;
  });
  return [
    'PASSERELLE-HMAC-SHA256',
    keyId,
    String(timestamp),
    request.method.toUpperCase(),
    path.split('/').map((segment) => normalize(segment, false)).join('/') || '/',
    pairs.sort().join('&'),
    createHash('sha256').update(request.body ?? '').digest('hex'),
  ].join('\n');
}

export function signRequest(
  request: RequestToSign,
  credentials: SigningCredentials,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  const canonical = canonicalRequest(request, credentials.keyId, timestamp);
  const signature = createHmac('sha256', credentials.signingKey).update(canonical, 'utf8').digest('base64url');
  return `keyId=${credentials.keyId}, t=${timestamp}, s=${signature}`;
}
