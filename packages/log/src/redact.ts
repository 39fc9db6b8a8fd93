// Secrets never reach the log, wherever they sit in what is logged (issue 6).
// Two nets, applied to every line by the logger itself:
// - by name: any field whose key names a credential (authorization, cookie,
//   set-cookie, x-signature, password, *secret, *token, code_verifier,
//   client_assertion, api keys, private/signing/encryption keys) is replaced,
//   at any depth, in objects, arrays and serialized errors;
// - by shape: inside any string (messages, error messages and stacks, URLs,
//   query strings, form bodies) credentials that travel in recognisable forms
//   are replaced: `Bearer …`/`Basic …`, URL user-info, secret-named query/form
//   parameters, JWTs, and Passerelle's `cs_` consumer-secrets and `psk_` API keys.
import { stdSerializers } from 'pino';

export const CENSOR = '[redacted]';

const secretKey = /(authorization|cookie|signature|passw(or)?d|secret|token|assertion|verifier|api[-_]?key|(private|signing|encryption|cookie)[-_]?keys?)$/i;

const secretParams = 'client_secret|client_assertion|code_verifier|code|password|passwd|secret|token|access_token|refresh_token|id_token|assertion|signature|api_key|apikey';
/**
 * Each shape with the literals it cannot match without (case-insensitive): a
 * string holding none of them skips every pass. Kept side by side so that a new
 * shape cannot be added without its literal.
 */
const shapes: { needs: string[]; pattern: RegExp; replacement: string }[] = [
  { needs: ['bearer', 'basic', 'digest', 'hmac'], pattern: /\b(Bearer|Basic|Digest|HMAC[\w-]*)\s+[A-Za-z0-9\-._~+/=:,"]+/gi, replacement: `$1 ${CENSOR}` },
  { needs: ['://'], pattern: /([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, replacement: `$1${CENSOR}@` },
  { needs: ['='], pattern: new RegExp(`([?&;\\s"']|^)(${secretParams})=[^&;\\s"']*`, 'gi'), replacement: `$1$2=${CENSOR}` },
  { needs: ['eyj'], pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replacement: CENSOR },
  { needs: ['cs_'], pattern: /\bcs_[A-Za-z0-9_-]{16,}/g, replacement: CENSOR },
  { needs: ['psk_'], pattern: /\bpsk_[A-Za-z0-9_-]{16,}/g, replacement: CENSOR },
];

/** Top-level names censored in child-logger bindings, which pino does not pass through formatters. */
export const childBindingSecrets = [
  'authorization', 'cookie', 'password', 'secret', 'token', 'clientSecret', 'client_secret', 'accessToken', 'access_token',
  'refreshToken', 'refresh_token', 'signature', 'apiKey', 'api_key', 'headers.authorization', 'headers.cookie', 'headers["x-signature"]',
] as const;

const mayHoldCredential = new RegExp(shapes.flatMap((s) => s.needs).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');

export function scrubString(value: string): string {
  if (!mayHoldCredential.test(value)) return value;
  let out = value;
  for (const { pattern, replacement } of shapes) out = out.replace(pattern, replacement);
  return out;
}

/**
 * `value` with every credential removed; the input is never modified. What
 * holds nothing to remove is returned as it is (most log lines), so a line
 * costs no copy.
 */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return scrubValue(stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) {
    const items = value.map((v) => scrubValue(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  // Anything but a plain object is copied to one: its toJSON (a URL's, say) would bypass the scrubbing.
  const prototype = Object.getPrototypeOf(value) as unknown;
  let out: Record<string, unknown> | undefined = prototype === Object.prototype || prototype === null ? undefined : { ...value };
  for (const [key, inner] of Object.entries(value)) {
    const scrubbed = secretKey.test(key) && inner !== undefined && inner !== null && inner !== '' ? CENSOR : scrubValue(inner, depth + 1);
    if (scrubbed !== inner) (out ??= { ...value })[key] = scrubbed;
  }
  return out ?? value;
}
