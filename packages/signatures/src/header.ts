// The `x-signature` header: `keyId=<consumer-key>.v<n>, t=<unix seconds>, s=<base64url HMAC-SHA256>`.
// Parsing is strict: each parameter exactly once, nothing else, and `s` in its
// one canonical spelling (43 base64url characters without padding), so that no
// two spellings of the same signature exist to slip past the replay cache.

export interface SignatureHeader {
  keyId: string;
  timestamp: number;
  /** The 32 MAC bytes. */
  signature: Buffer;
}

const params = /^(keyId|t|s)=([^\s,=]+)$/;
const base64url32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export function parseSignatureHeader(value: string): SignatureHeader | undefined {
  if (value.length > 512) return undefined;
  const seen = new Map<string, string>();
  for (const part of value.split(',')) {
    const match = params.exec(part.trim());
    if (!match || seen.has(match[1]!)) return undefined;
    seen.set(match[1]!, match[2]!);
  }
  const keyId = seen.get('keyId');
  const t = seen.get('t');
  const s = seen.get('s');
  if (!keyId || !t || !s || !/^[0-9]{1,12}$/.test(t) || !base64url32.test(s)) return undefined;
  return { keyId, timestamp: Number(t), signature: Buffer.from(s, 'base64url') };
}
