// What every response to a Basic request says about the fallback's future:
// `Deprecation: @<epoch seconds>` (RFC 9745 §2.1, a structured-field date),
// `Link: <guide>; rel="deprecation"; type="text/html"` (RFC 9745 §3), and,
// once a date is set, `Sunset: <HTTP-date>` (RFC 8594).
import type { ApiConfig } from './config.ts';

export function basicResponseHeaders({ deprecatedAt, sunset, migrationUrl }: ApiConfig['basicAuth']): Readonly<Record<string, string>> {
  return Object.freeze({
    Deprecation: `@${Math.floor(deprecatedAt.getTime() / 1000)}`,
    Link: `<${migrationUrl}>; rel="deprecation"; type="text/html"`,
    ...(sunset ? { Sunset: sunset.toUTCString() } : {}),
  });
}
