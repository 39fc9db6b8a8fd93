// Turns the raw body (read-body.ts) into a typed value, in three gates:
// valid UTF-8 JSON (else 400 invalid_request) → nesting depth within bounds
// (else 400 invalid_request) → the route's zod schema (else 400
// validation_failed). Schemas are strict objects, so unknown fields are
// refused. Issues name the field and the rule, never the value that was sent.
import type { Context } from 'koa';
import { z } from 'zod';
import { Problem } from '@passerelle/errors';
import { nestsDeeperThan } from './json-depth.ts';
import type { BodyState } from './read-body.ts';

export interface ParseJsonOptions {
  /** Deepest nesting of objects/arrays accepted (default 8). */
  maxDepth?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_PATH = 200;

function pathOf(segments: readonly PropertyKey[]): string {
  const path = segments.map(String).join('.');
  return path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: pathOf(issue.path) || '(root)', message: issue.message }];
  });
}

/** Validates `value` against `schema`; throws 400 validation_failed with the field paths. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Problem('validation_failed', { errors: issuesOf(result.error) });
  return result.data;
}

function invalidJson(detail: string, cause?: unknown): Problem {
  return new Problem('invalid_request', { detail, cause });
}

/** Parses the request's JSON body and validates it against `schema`. */
export function parseJson<S extends z.ZodType>(
  ctx: Context & { state: BodyState }, schema: S, options: ParseJsonOptions = {},
): z.output<S> {
  const raw = ctx.state.rawBody;
  if (!raw || raw.length === 0) throw invalidJson('This request needs a JSON body.');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch (err) {
    throw invalidJson('The request body is not valid UTF-8.', err);
  }
  if (nestsDeeperThan(text, options.maxDepth ?? 8)) throw invalidJson('The request body nests too deeply.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidJson('The request body is not valid JSON.', err);
  }
  return validate(schema, value);
}
