// Configuration is read from the environment once, at start-up, validated
// against a schema and frozen. A bad value stops the process with one line
// naming the variable; nothing deeper in the code reads process.env.
import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly variable: string;

  constructor(variable: string, reason: string) {
    super(`invalid configuration: ${variable}: ${reason}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export type EnvSchema = z.ZodObject<Record<string, z.ZodType>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses `env` with `schema`; empty strings count as unset. */
export function parseEnv<S extends EnvSchema>(schema: S, env: Record<string, string | undefined>): Readonly<z.infer<S>> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : 'environment';
    throw new ConfigError(variable, issue.message);
  }
  return deepFreeze(result.data);
}

/** The documented variables of a schema, for the README table and its test. */
export function describeEnv(schema: EnvSchema): { name: string; description: string }[] {
  return Object.entries(schema.shape).map(([name, type]) => ({ name, description: type.description ?? '' }));
}
