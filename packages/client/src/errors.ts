// Every refusal, from the token endpoint (RFC 6749 `error`) or the API (RFC 9457
// problem+json `code`), as one error type a partner can branch on by `code`.

export class PasserelleError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The machine-readable code: the API's `code` (see the README's error table) or the token endpoint's `error`. */
  readonly code: string;
  /** The API's request id, to quote to support. */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, on a 429 or 503. */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, requestId?: string, retryAfter?: number) {
    super(message);
    this.name = 'PasserelleError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

interface ErrorBody {
  code?: unknown;
  error?: unknown;
  title?: unknown;
  detail?: unknown;
  error_description?: unknown;
  request_id?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** The error an unsuccessful answer stands for; its body is read here. */
export async function errorOf(res: Response): Promise<PasserelleError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy's page): the status alone speaks
  }
  const code = text(body.code) ?? text(body.error) ?? `http_${res.status}`;
  const message = text(body.detail) ?? text(body.error_description) ?? text(body.title) ?? `HTTP ${res.status}`;
  const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
  return new PasserelleError(
    res.status, code, message,
    text(body.request_id) ?? res.headers.get('x-request-id') ?? undefined,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}
