#!/usr/bin/env node
// Runs every *.test.ts in the workspace with Node's own test runner (through tsx,
// so Node 20 and 24 behave the same). Extra arguments filter by path substring.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const skipDirs = new Set(['node_modules', '.git', '.data', '.tsbuild', 'generated', '.node24', 'test-artifacts']);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) yield* walk(join(dir, entry.name));
    } else if (entry.name.endsWith('.test.ts')) {
      yield relative(root, join(dir, entry.name));
    }
  }
}

if (process.env.PASSERELLE_REQUIRE_SERVICES === '1' && !(process.env.DATABASE_URL && process.env.REDIS_URL)) {
  console.error('PASSERELLE_REQUIRE_SERVICES=1 but DATABASE_URL or REDIS_URL is unset: refusing to fall back to the embedded backends');
  process.exit(1);
}
console.log(`backends: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'} + ${process.env.REDIS_URL ? 'Redis' : 'memory store (embedded)'}`);

const filters = process.argv.slice(2);
const files = [...walk(join(root, 'apps')), ...walk(join(root, 'packages')), ...walk(join(root, 'tools'))]
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(res.status ?? 1);
