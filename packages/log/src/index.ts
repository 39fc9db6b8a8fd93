// Structured JSON logs (pino). Credentials are redacted at the logger, not at
// each call site, so a careless `log.info({ headers })` still leaks nothing.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Paths pino censors wherever a logged object carries them. */
export const redactedPaths = [
  'authorization', '*.authorization', '*.*.authorization',
  'cookie', '*.cookie', '*.*.cookie', 'set-cookie', '*.*["set-cookie"]',
  '*["x-signature"]', '*.*["x-signature"]',
  'password', '*.password', 'secret', '*.secret', '*.client_secret', 'client_secret',
  'token', '*.token', '*.access_token', '*.refresh_token', '*.id_token', 'clientSecret', '*.clientSecret',
];

export interface LoggerOptions {
  name: string;
  level: string;
  destination?: DestinationStream;
}

export function createLogger({ name, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
export { requestLogger } from './http.ts';
