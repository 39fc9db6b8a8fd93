// An allowlist of browser origins, written as `scheme://host[:port]`. Each entry
// must already be a serialized origin (what browsers send in `Origin`), so the
// check at request time is an exact string comparison; `*`, `null`, paths and
// anything else that is not an origin are refused at start-up.

/** The reason `value` is not a serialized http(s) origin, or undefined when it is one. */
export function originProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return `"${value}" is not a URL`;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${value}" is not an http(s) origin`;
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) return `"${value}" has no plain host name (no wildcards)`;
  if (url.origin !== value) return `"${value}" is not an origin; write it as ${url.origin}`;
  return undefined;
}

/** Parses a comma-separated list of origins; throws naming the first bad entry. */
export function parseOrigins(list: string): string[] {
  const origins = list.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem) throw new Error(problem);
  }
  return [...new Set(origins)];
}
