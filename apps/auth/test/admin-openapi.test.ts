// The admin API's OpenAPI 3.1 document is linted (Redocly's recommended rules,
// offline) and kept honest against the router: every registered route is
// documented, and every documented operation is registered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createConfig, lint, parseYaml } from '@redocly/openapi-core';
import { errorCodes } from '@passerelle/errors';
import type { Registry } from '@passerelle/registry';
import type { Accounts } from '@passerelle/accounts';
import { ADMIN_PREFIX, adminRoutes, signingKeyRoutes, userRoutes, type SigningKeyAdminOptions } from '../src/admin/index.ts';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'openapi', 'admin.yaml');
const document = parseYaml(readFileSync(file, 'utf8')) as { openapi: string; paths: Record<string, Record<string, unknown>> };
const methods = ['get', 'put', 'post', 'delete', 'patch'];

test('the admin OpenAPI document is 3.1 and passes the recommended lint rules without a problem', async () => {
  assert.equal(document.openapi, '3.1.0');
  const problems = await lint({ ref: file, config: await createConfig({ extends: ['recommended'] }) });
  const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
  assert.deepEqual(described, []);
});

test('every route of the admin router is in the document, and every documented operation is routed', () => {
  const routers = [adminRoutes({} as Registry), signingKeyRoutes({} as SigningKeyAdminOptions), userRoutes({} as Accounts)];
  const routed = new Set<string>();
  for (const layer of routers.flatMap((router) => router.stack)) {
    const path = String(layer.path).slice(ADMIN_PREFIX.length).replace(/:(\w+)/g, '{$1}');
    for (const method of layer.methods.map((m) => m.toLowerCase()).filter((m) => methods.includes(m))) routed.add(`${method} ${path}`);
  }
  assert.ok(routed.size >= 26);
  const documented = new Set(Object.entries(document.paths).flatMap(([path, item]) => methods.filter((m) => m in item).map((m) => `${m} ${path}`)));
  assert.deepEqual([...routed].filter((r) => !documented.has(r)), [], 'routed but not documented');
  assert.deepEqual([...documented].filter((d) => !routed.has(d)), [], 'documented but not routed');
});

test('every error code the document names is one the services render', () => {
  const text = readFileSync(file, 'utf8');
  const named = [...text.matchAll(/\(`([a-z_]+)`(?:, `([a-z_]+)`)?\)|`([a-z_]+)`,? /g)].flatMap((m) => m.slice(1)).filter((c): c is string => Boolean(c));
  const codes = named.filter((c) => /^(unknown_field|invalid_|unknown_|grace_|validation_|authentication_|insufficient_|not_found|conflict|unsupported_)/.test(c));
  assert.ok(codes.length >= 8, codes.join(' '));
  for (const code of codes) assert.ok(code in errorCodes, `${code} is not in @passerelle/errors`);
});
