// The one place an error becomes an HTTP response (RFC 9457 problem+json).
// 401/403 from the bearer guard also get their RFC 6750 §3 challenge. Anything
// that is not a Problem is logged and rendered as a bare 500: no message, stack,
// SQL or library text ever reaches the caller.
import type { Context, Next } from 'koa';
import { errorCodes } from './codes.ts';
import { Problem, isProblem } from './problem.ts';

export interface RenderOptions {
  /** Realm in WWW-Authenticate challenges. */
  realm: string;
  /** Called with every error; 5xx ones are the ones to look at. */
  onError?: (err: unknown, ctx: Context, problem: Problem) => void;
  /** Base of the `type` URI; the code is appended. */
  typeBase?: string;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

export function challengeHeader(realm: string, params: Record<string, string>): string {
  const parts = [`realm=${quote(realm)}`, ...Object.entries(params).map(([k, v]) => `${k}=${quote(v)}`)];
  return `Bearer ${parts.join(', ')}`;
}

function toProblem(err: unknown): Problem {
  if (isProblem(err)) return err;
  // Koa's own HttpErrors (body parser: 413, 415, 400 on bad JSON) are exposable
  // by status only; their messages come from libraries and are not repeated.
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && (err as { expose?: unknown }).expose === true) {
    switch (status) {
      case 413: return new Problem('payload_too_large', { cause: err });
      case 415: return new Problem('unsupported_media_type', { cause: err });
      case 400: return new Problem('invalid_request', { detail: 'The request body could not be parsed.', cause: err });
      default: break;
    }
  }
  return new Problem('internal_error', { cause: err });
}

export function renderErrors(options: RenderOptions) {
  const typeBase = options.typeBase ?? 'https://docs.passerelle.dev/errors#';
  return async function renderError(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new Problem('not_found');
      // The router's 405 (with its Allow header) gets the same envelope as any error.
      if (ctx.status === 405 && ctx.body === undefined) throw new Problem('method_not_allowed');
    } catch (err) {
      const problem = toProblem(err);
      options.onError?.(err, ctx, problem);
      ctx.status = problem.status;
      for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
      if (problem.challenge) ctx.set('WWW-Authenticate', challengeHeader(options.realm, problem.challenge));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/problem+json';
      ctx.body = {
        type: `${typeBase}${problem.code}`,
        title: errorCodes[problem.code].title,
        status: problem.status,
        code: problem.code,
        ...(problem.expose && problem.detail ? { detail: problem.detail } : {}),
        ...(problem.expose && problem.errors ? { errors: problem.errors } : {}),
        request_id: (ctx.state as { requestId?: string }).requestId,
      };
    }
  };
}
