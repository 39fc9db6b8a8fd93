// Request integrity (`x-signature`, see @passerelle/signatures). The
// client's policy decides when a signature is required:
// - 'writes' (the default): every method but GET, HEAD and OPTIONS;
// - 'all': every request; 'off': none.
// A signature that is present is verified whatever the policy: a wrong one is
// never ignored. The body is the exact bytes in ctx.state.rawBody (read by the
// body middleware before the guard); a request with a body that was not read
// cannot be verified, which is a wiring error, so it fails rather than pass.
import type { Next } from 'koa';
import { Problem, type ErrorCode } from '@passerelle/errors';
import type { SignatureFailure, SignatureVerifier } from '@passerelle/signatures';
import type { SignaturePolicy } from '../client-policy.ts';
import type { GuardContext } from '../context.ts';

const unsignedMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const empty = Buffer.alloc(0);

const refusal: Record<SignatureFailure, { code: ErrorCode; detail: string }> = {
  missing: { code: 'signature_required', detail: 'this request must be signed: send an x-signature header' },
  malformed: { code: 'invalid_signature', detail: 'the x-signature header or the request target is malformed' },
  wrong_key: { code: 'invalid_signature', detail: 'the x-signature keyId does not name this client\'s current signing key' },
  mismatch: { code: 'invalid_signature', detail: 'the x-signature does not match the request' },
  expired: { code: 'signature_expired', detail: 'the x-signature timestamp is outside the ±300 s window: check the clock' },
  replayed: { code: 'signature_replayed', detail: 'this x-signature has already been used' },
};

/** Called on every refusal, for the security log: the reason only, never the signature. */
export type OnSignatureRefused = (reason: SignatureFailure, ctx: GuardContext) => void;

function required(policy: SignaturePolicy, method: string): boolean {
  return policy === 'all' || (policy === 'writes' && !unsignedMethods.has(method));
}

function hasBody(ctx: GuardContext): boolean {
  return ctx.get('transfer-encoding') !== '' || Number(ctx.get('content-length') || 0) > 0;
}

export interface SignatureCheck {
  verify: SignatureVerifier;
  onRefused?: OnSignatureRefused;
}

export function verifySignature({ verify, onRefused }: SignatureCheck) {
  return async function verifySignatureStep(ctx: GuardContext, next: Next): Promise<void> {
    const header = ctx.get('x-signature') || undefined;
    const { clientId, signaturePolicy, signingKeyVersion } = ctx.state.client;
    if (header === undefined && !required(signaturePolicy, ctx.method)) return next();

    const body = ctx.state.rawBody ?? (hasBody(ctx) ? undefined : empty);
    if (!body) throw new Problem('internal_error', { cause: new Error('x-signature needs ctx.state.rawBody: mount the body reader before the guard') });
    const result = await verify({
      method: ctx.method, path: ctx.path, query: ctx.querystring, body, header, clientId, keyVersion: signingKeyVersion,
    });
    if (!result.ok) {
      onRefused?.(result.reason, ctx);
      const { code, detail } = refusal[result.reason];
      throw new Problem(code, { detail, challenge: { error: code, error_description: detail } });
    }
    await next();
  };
}
