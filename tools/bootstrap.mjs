#!/usr/bin/env node
// The two README commands (`npm start`, `npm test`) must work on a fresh clone
// with nothing but Node.js: this installs the pinned pnpm through npx when it is
// missing, installs the workspace from the lockfile, then runs a pnpm script.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = process.argv[2];
if (!script) {
  console.error('usage: node tools/bootstrap.mjs <pnpm script> [args...]');
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Passerelle needs Node.js 20.19 or newer (this is ${process.version}).`);
  process.exit(1);
}

const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function pnpm(args) {
  const have = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  const wanted = packageManager.split('@')[1];
  const cmd = have.status === 0 && have.stdout.trim() === wanted
    ? ['pnpm', args]
    : ['npx', ['--yes', packageManager, ...args]];
  const res = spawnSync(cmd[0], cmd[1], { cwd: root, stdio: 'inherit', env: process.env });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

const install = pnpm(['install', '--frozen-lockfile']);
if (install !== 0) process.exit(install);
if (!existsSync(join(root, 'node_modules'))) process.exit(1);
process.exit(pnpm(['run', script, ...process.argv.slice(3)]));
