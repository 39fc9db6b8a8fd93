// A typed error that knows its HTTP status and wire code. Handlers throw it;
// only the renderer (render.ts) turns it into a response. `expose` follows Koa:
// below 500 the detail is the caller's business, above it nothing is said.
import { type ErrorCode, errorCodes } from './codes.ts';

export interface ProblemOptions {
  /** Human-readable detail safe to show the caller. */
  detail?: string;
  /** Extra response headers (Retry-After, RateLimit...). */
  headers?: Record<string, string>;
  /** RFC 6750 challenge parameters; rendered as `WWW-Authenticate: Bearer ...`. */
  challenge?: Record<string, string>;
  /** Field-level validation issues, safe to expose. */
  errors?: { path: string; message: string }[];
  cause?: unknown;
}

export class Problem extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly challenge: Record<string, string> | undefined;
  readonly errors: { path: string; message: string }[] | undefined;

  constructor(code: ErrorCode, options: ProblemOptions = {}) {
    super(options.detail ?? errorCodes[code].title, { cause: options.cause });
    this.name = 'Problem';
    this.code = code;
    this.status = errorCodes[code].status;
    this.expose = this.status < 500;
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.challenge = options.challenge;
    this.errors = options.errors;
  }
}

export function isProblem(err: unknown): err is Problem {
  return err instanceof Problem;
}
