// Structured JSON logs (pino). Credentials are redacted at the logger, not at
// each call site, so a careless `log.info({ headers })` or an error whose
// message carries a URL with a password still leaks nothing (redact.ts).
import { pino, type Logger, type DestinationStream } from 'pino';
import { CENSOR, childBindingSecrets, scrubString, scrubValue } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  name: string;
  level: string;
  destination?: DestinationStream;
}

/**
 * Standard output, written asynchronously and in batches: a request log line
 * must not cost a write() per request on the hot path. Lines leave together
 * once LOG_BATCH_BYTES are pending, or LOG_FLUSH_MS after they were written,
 * whichever comes first (a line on a quiet server waits at most that long);
 * pino flushes what is pending on exit.
 */
const LOG_BATCH_BYTES = 4_096;
const LOG_FLUSH_MS = 200;

function stdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
}

export function createLogger({ name, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Child bindings bypass the formatters below (pino resets them for children), so the
      // usual top-level names are also censored by pino's own redaction, which does cover them.
      redact: { paths: [...childBindingSecrets], censor: CENSOR },
      // Errors are serialized (and scrubbed) by the `log` formatter below, which runs first.
      serializers: { err: (err: unknown) => err },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => scrubValue(bindings) as Record<string, unknown>,
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      hooks: {
        // Messages (and printf-style arguments) are scrubbed like any other string.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubString(arg) : arg)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    destination ?? stdout(),
  );
}
export { requestLogger } from './http.ts';
export { scrubString, scrubValue, CENSOR } from './redact.ts';
export { securityEvent, type SecurityEventName, type SecurityEventFields } from './security.ts';
