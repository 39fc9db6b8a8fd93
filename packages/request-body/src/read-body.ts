// Reads a request's body once, before the guard, and keeps its exact bytes in
// ctx.state.rawBody: the HMAC signature step hashes those bytes, and the route
// parses the same bytes (parse-json.ts), so what is verified is what is used.
// - A body is JSON or nothing: any other Content-Type (or a charset other than
//   UTF-8, or a Content-Encoding) answers 415 unsupported_media_type.
// - Over `limitBytes` answers 413 payload_too_large; a declared Content-Length
//   over the limit is refused before a byte is read (raw-body checks it).
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { Problem } from '@passerelle/errors';

export interface BodyState {
  /** The request body exactly as received; undefined when the request had none. */
  rawBody?: Buffer;
}

export interface ReadBodyOptions {
  /** Largest accepted body, in bytes. */
  limitBytes: number;
}

function hasBody(ctx: Context): boolean {
  const { headers } = ctx.req;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

function assertJson(ctx: Context): void {
  const encoding = ctx.get('content-encoding').toLowerCase();
  const charset = ctx.request.charset.toLowerCase();
  if (!ctx.request.is('application/json') || (encoding && encoding !== 'identity') || (charset && charset !== 'utf-8')) {
    throw new Problem('unsupported_media_type', { detail: 'Send the body as Content-Type: application/json (UTF-8).' });
  }
}

function toProblem(err: unknown): unknown {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new Problem('payload_too_large', { cause: err });
  if (type === 'request.size.invalid' || type === 'request.aborted') {
    return new Problem('invalid_request', { detail: 'The request body did not match its Content-Length.', cause: err });
  }
  return err;
}

export function readBody(options: ReadBodyOptions) {
  const { limitBytes } = options;
  return async function readBodyStep(ctx: Context & { state: BodyState }, next: Next): Promise<void> {
    if (hasBody(ctx)) {
      try {
        assertJson(ctx);
        ctx.state.rawBody = await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit: limitBytes });
      } catch (err) {
        // Discard whatever the client is still sending so that it reads our answer.
        ctx.req.unpipe();
        ctx.req.resume();
        throw toProblem(err);
      }
    }
    await next();
  };
}
