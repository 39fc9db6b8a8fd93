// One process per PGlite data folder: a second opener is refused while the
// holder lives, and a lock left by a dead holder is taken over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseLockedError, openDatabase } from '../src/index.ts';
import { lockDataFolder, lockFileName } from '../src/lock.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'passerelle-lock-'));
});
after(() => rm(root, { recursive: true, force: true }));

let folders = 0;
const newFolder = () => join(root, `data-${++folders}`);

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

async function writeLock(dir: string, content: object | string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, lockFileName), typeof content === 'string' ? content : JSON.stringify(content));
}

const lockedBy = (pid: number) => (error: unknown) => {
  assert.ok(error instanceof DatabaseLockedError, String(error));
  assert.equal(error.code, 'database_locked');
  assert.equal(error.pid, pid);
  assert.match(error.message, new RegExp(`process \\(?${pid}\\b`));
  return true;
};

describe('the data folder lock', () => {
  test('creates a missing folder and removes its lock on release', async () => {
    const dir = join(newFolder(), 'nested');
    const lock = await lockDataFolder(dir);
    assert.equal(JSON.parse(await readFile(lock.path, 'utf8')).pid, process.pid);
    await lock.release();
    assert.equal(existsSync(lock.path), false);
  });

  test('refuses a second lock while this process holds it', async () => {
    const dir = newFolder();
    const lock = await lockDataFolder(dir);
    try {
      await assert.rejects(lockDataFolder(dir), lockedBy(process.pid));
    } finally {
      await lock.release();
    }
    await (await lockDataFolder(dir)).release();
  });

  test('refuses a lock held by another live process, naming its pid', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const dir = newFolder();
      await writeLock(dir, { pid: holder.pid, host: hostname(), token: 'theirs', since: new Date().toISOString() });
      await assert.rejects(lockDataFolder(dir), lockedBy(holder.pid!));
    } finally {
      holder.kill();
    }
  });

  test('refuses a lock taken on another host, whose pid it cannot probe, and says how to clear it', async () => {
    const dir = newFolder();
    await writeLock(dir, { pid: deadPid(), host: 'elsewhere.example', token: 'theirs', since: new Date().toISOString() });
    await assert.rejects(lockDataFolder(dir), (error: unknown) => {
      assert.ok(error instanceof DatabaseLockedError);
      assert.match(error.message, /on host elsewhere\.example/);
      assert.ok(error.message.includes(join(dir, lockFileName)), error.message);
      return true;
    });
  });

  test('takes over a stale lock whose pid is dead', async () => {
    const dir = newFolder();
    await writeLock(dir, { pid: deadPid(), host: hostname(), token: 'stale', since: new Date().toISOString() });
    const lock = await lockDataFolder(dir);
    assert.equal(JSON.parse(await readFile(lock.path, 'utf8')).pid, process.pid);
    await lock.release();
  });

  test('takes over a torn lock file, and one naming this pid that this process does not hold', async () => {
    const torn = newFolder();
    await writeLock(torn, '{"pid": 12');
    await (await lockDataFolder(torn)).release();

    const reused = newFolder();
    await writeLock(reused, { pid: process.pid, host: hostname(), token: 'earlier-incarnation', since: new Date().toISOString() });
    await (await lockDataFolder(reused)).release();
  });

  test('of two openers racing for a stale lock, exactly one wins', async () => {
    const dir = newFolder();
    await writeLock(dir, { pid: deadPid(), host: hostname(), token: 'stale', since: new Date().toISOString() });
    const outcomes = await Promise.allSettled([lockDataFolder(dir), lockDataFolder(dir)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(won.length, 1);
    assert.ok(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof DatabaseLockedError));
    await won[0]!.value.release();
  });

  test('release leaves a lock it no longer owns in place', async () => {
    const dir = newFolder();
    const lock = await lockDataFolder(dir);
    await writeLock(dir, { pid: 1, host: hostname(), token: 'someone-else', since: new Date().toISOString() });
    await lock.release();
    assert.equal(JSON.parse(await readFile(lock.path, 'utf8')).token, 'someone-else');
  });
});

describe('openDatabase on a PGlite data folder', () => {
  test('a second open of the same folder is refused until the first closes', async () => {
    const target = { kind: 'pglite', dataDir: newFolder() } as const;
    const db = await openDatabase(target);
    try {
      await assert.rejects(openDatabase(target), lockedBy(process.pid));
    } finally {
      await db.close();
    }
    const again = await openDatabase(target);
    await again.ping();
    await again.close();
  });

  test('a folder held by another process is refused; once that process is killed, its stale lock is taken over', async () => {
    const target = { kind: 'pglite', dataDir: newFolder() } as const;
    const opener = [
      `import { openDatabase } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};`,
      `await openDatabase(${JSON.stringify(target)});`,
      `process.stdout.write('open\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n');
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', opener], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(holder.stdout, 'data')) as [Buffer];
      assert.equal(chunk.toString(), 'open\n');
      await assert.rejects(openDatabase(target), lockedBy(holder.pid!));
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    assert.ok(existsSync(join(target.dataDir, lockFileName)), 'the killed holder left its lock behind');
    const db = await openDatabase(target);
    try {
      await db.ping();
    } finally {
      await db.close();
    }
  });
});
