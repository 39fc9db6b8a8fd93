// Command-line flags on top of node:util's parseArgs, with the questions
// commands ask: a required string, an optional one, a list, a number, a switch.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  readonly code = 'usage';
}

export interface Flags {
  string(name: string): string;
  optional(name: string): string | undefined;
  /** Comma-separated; `--flag ''` is the empty list. */
  list(name: string): string[] | undefined;
  /** A number when it looks like one; otherwise the raw text, for the registry to refuse with its code. */
  number(name: string): number | string | undefined;
  boolean(name: string): boolean;
  positional(index: number, label: string): string;
}

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const options = {
  slug: text, name: text, email: text, partner: text, scopes: text, scope: text, 'grant-types': text, 'redirect-uris': text,
  'rate-tier': text, 'signature-policy': text, 'daily-quota': text, 'ip-allowlist': text, grace: text,
  status: text, limit: text, cursor: text, actor: text, client: text, action: text, from: text, to: text,
  'basic-auth-fallback': flag, 'no-basic-auth-fallback': flag, json: flag,
  'activate-in': text, force: flag, 'expires-at': text,
} as const;

// The CLI defines no short options, and values may begin with one dash: key ids
// are base64url thumbprints (`-gX…`), numbers may be negative (for the registry
// to refuse with its own code). parseArgs would take such a word for an unknown
// option, so it is shielded while parsing and restored after.
const SHIELD = '\u0000';
const shield = (arg: string) => (/^-[^-]/.test(arg) ? SHIELD + arg : arg);
const unshield = (arg: string) => (arg.startsWith(SHIELD) ? arg.slice(SHIELD.length) : arg);

export function parseFlags(args: string[]): { command: string[]; flags: Flags; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args: args.map(shield), allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals: shielded } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  const positionals = shielded.map(unshield);
  const get = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? unshield(value) : undefined;
  };
  const flags: Flags = {
    string(name) {
      const value = get(name);
      if (value === undefined) throw new UsageError(`--${name} is required`);
      return value;
    },
    optional: get,
    list(name) {
      const value = get(name);
      return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
    },
    number(name) {
      const value = get(name);
      if (value === undefined) return undefined;
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    },
    boolean: (name) => values[name] === true,
    positional(index, label) {
      const value = positionals[2 + index];
      if (!value) throw new UsageError(`<${label}> is required`);
      return value;
    },
  };
  return { command: positionals.slice(0, 2), flags, json: values['json'] === true };
}
