// Command-line flags on top of node:util's parseArgs, with the three questions
// commands ask: a required string, an optional one, a boolean switch.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  readonly code = 'usage';
}

export interface Flags {
  string(name: string): string;
  optional(name: string): string | undefined;
  boolean(name: string): boolean;
  positional(index: number, label: string): string;
}

const text = { type: 'string' } as const;
const options = {
  slug: text, name: text, partner: text, scopes: text, 'grant-types': text, 'redirect-uris': text, 'rate-tier': text,
  'basic-auth-fallback': { type: 'boolean' }, json: { type: 'boolean' },
} as const;

export function parseFlags(args: string[]): { command: string[]; flags: Flags; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  const get = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const flags: Flags = {
    string(name) {
      const value = get(name);
      if (value === undefined) throw new UsageError(`--${name} is required`);
      return value;
    },
    optional: get,
    boolean: (name) => values[name] === true || values[name] === 'true',
    positional(index, label) {
      const value = positionals[2 + index];
      if (!value) throw new UsageError(`<${label}> is required`);
      return value;
    },
  };
  return { command: positionals.slice(0, 2), flags, json: values['json'] === true };
}
