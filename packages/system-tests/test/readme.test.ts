// The README's tables are documentation that must not drift from the code:
// every configuration variable and every error code is listed there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiEnv } from '@passerelle/api';
import { authEnv } from '@passerelle/auth';
import { describeEnv, workspaceRoot } from '@passerelle/config';
import { errorCodes } from '@passerelle/errors';
import { portalEnv } from '@passerelle/portal';

const readme = readFileSync(join(workspaceRoot(), 'README.md'), 'utf8');

test('the README documents every environment variable of every service', () => {
  const names = new Set([authEnv, apiEnv, portalEnv].flatMap((schema) => describeEnv(schema)).map((v) => v.name));
  assert.ok(names.size > 10);
  for (const name of names) assert.match(readme, new RegExp(`\\| \`${name}\` \\|`), `${name} is missing from the README`);
});

test('the README lists every error code with its status', () => {
  for (const [code, { status }] of Object.entries(errorCodes)) {
    assert.match(readme, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `${code} is missing from the README`);
  }
});
