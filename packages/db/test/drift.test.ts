// The drift guard CI relies on (`pnpm db:check`) and the migration writer
// (`pnpm db:new-migration`), run as the scripts they are. Modified schemas and
// migration folders are temporary copies; the committed files are never touched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsDir, repoRoot, schemaPath } from '../src/paths.ts';

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a db script the way pnpm does: from the package folder, through tsx. */
function script(name: 'check' | 'new-migration', args: string[]): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `src/cli/${name}.ts`, ...args],
      { cwd: join(repoRoot, 'packages/db') },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const extraModel = `
model ConsentRecord {
  id      String @id @default(uuid()) @db.Uuid
  subject String

  @@map("consent_records")
}
`;

let scratch: string;
let driftedSchema: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'passerelle-drift-'));
  driftedSchema = join(scratch, 'schema.prisma');
  // The generator's output path is relative to the schema; a copy elsewhere must not point into the repo.
  const schema = (await readFile(schemaPath, 'utf8')).replace(/output\s*=\s*".*"/, `output = "${join(scratch, 'generated')}"`);
  await writeFile(driftedSchema, schema + extraModel);
});
after(() => rm(scratch, { recursive: true, force: true }));

describe('db:check', () => {
  test('passes when prisma/schema.prisma and the committed migrations agree', async () => {
    const result = await script('check', []);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /agree/);
  });

  test('fails, naming the missing SQL, when the schema has a model no migration creates', async () => {
    const result = await script('check', ['--schema', driftedSchema]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /^drift: /m);
    assert.match(result.stderr, /CREATE TABLE "consent_records"/);
    assert.match(result.stderr, /pnpm db:new-migration/);
  });
});

describe('db:new-migration', () => {
  test('writes the missing migration in Prisma\'s folder layout, after which the check passes', async () => {
    const migrations = join(scratch, 'migrations');
    await cp(migrationsDir, migrations, { recursive: true });
    const before = new Set(await readdir(migrations));

    const written = await script('new-migration', ['add consent records', '--schema', driftedSchema, '--migrations', migrations]);
    assert.equal(written.code, 0, written.stderr);
    const added = (await readdir(migrations)).filter((name) => !before.has(name));
    assert.equal(added.length, 1);
    assert.match(added[0]!, /^\d{14}_add_consent_records$/);
    assert.match(await readFile(join(migrations, added[0]!, 'migration.sql'), 'utf8'), /CREATE TABLE "consent_records"/);

    const check = await script('check', ['--schema', driftedSchema, '--migrations', migrations]);
    assert.equal(check.code, 0, check.stderr);

    const again = await script('new-migration', ['once more', '--schema', driftedSchema, '--migrations', migrations]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^no changes/);
    assert.equal((await readdir(migrations)).length, before.size + 1);
  });
});
