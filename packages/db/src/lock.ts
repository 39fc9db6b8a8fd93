// One process per PGlite data folder. PGlite has no locking of its own, and two
// processes writing one folder corrupt it silently (rows were lost in a test), so
// the folder carries a lock file naming its holder's pid:
// - created with O_EXCL, so of two processes starting together one wins;
// - a lock whose pid is dead is stale (the holder crashed) and is taken over;
// - a live holder, this process included, gets DatabaseLockedError;
// - a lock naming this very pid but not held by this process was left by an
//   earlier process that had the same pid (a container restart): stale too.
// Taking over a stale lock is guarded by a short-lived second file, so two
// processes that both find it stale cannot both take it.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { DatabaseLockedError } from './errors.ts';

export const lockFileName = 'passerelle.lock';
const takeoverSuffix = '.takeover';
/** A takeover guard older than this was left by a crash mid-takeover. */
const takeoverTimeoutMs = 10_000;

interface LockContent {
  pid: number;
  host: string;
  token: string;
  since: string;
}

export interface FolderLock {
  readonly path: string;
  release(): Promise<void>;
}

const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockContent | null | 'missing'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const content = JSON.parse(text) as Partial<LockContent>;
    return typeof content.pid === 'number' && typeof content.host === 'string' && typeof content.token === 'string' ? (content as LockContent) : null;
  } catch {
    return null; // torn write by a crashed holder
  }
}

/** Who holds the lock, when someone live does; null when the lock is stale (or unreadable). */
function liveHolder(content: LockContent | null): LockContent | null {
  if (content === null) return null;
  if (content.host !== hostname()) return content; // cannot probe another machine's pids: assume alive
  // This process does not hold it (lockDataFolder checked), so an earlier process with our pid left it.
  if (content.pid === process.pid) return null;
  return isAlive(content.pid) ? content : null;
}

async function tryCreate(path: string, content: LockContent): Promise<boolean> {
  try {
    await writeFile(path, JSON.stringify(content), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function removeIfOlderThan(path: string, ageMs: number): Promise<void> {
  try {
    if (Date.now() - (await stat(path)).mtimeMs > ageMs) await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Replaces a stale lock, unless another process is already doing so. */
async function takeOver(path: string, stale: LockContent | null, mine: LockContent): Promise<boolean> {
  const guard = path + takeoverSuffix;
  await removeIfOlderThan(guard, takeoverTimeoutMs);
  if (!(await tryCreate(guard, mine))) return false;
  try {
    const current = await readLock(path);
    if (current !== 'missing' && current?.token !== stale?.token) return false; // changed under us
    if (current !== 'missing') await unlink(path);
    return await tryCreate(path, mine);
  } finally {
    await unlink(guard);
  }
}

async function acquire(dataDir: string, path: string, mine: LockContent): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await tryCreate(path, mine)) return;
    const current = await readLock(path);
    if (current === 'missing') continue; // released meanwhile: try again
    const holder = liveHolder(current);
    if (holder) throw new DatabaseLockedError(dataDir, path, holder);
    if (await takeOver(path, current, mine)) return;
    if (attempt === 5) throw new DatabaseLockedError(dataDir, path, current);
    await delay(50 * attempt); // another process is taking it over; see who wins
  }
}

/**
 * Takes the data folder's lock, creating the folder if needed.
 * Rejects with DatabaseLockedError when a live process holds it.
 */
export async function lockDataFolder(dataFolder: string): Promise<FolderLock> {
  const dataDir = resolve(dataFolder);
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, lockFileName);
  const mine: LockContent = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  if (heldHere.has(path)) throw new DatabaseLockedError(dataDir, path, mine);
  heldHere.add(path); // before any await, so a concurrent call in this process is refused too
  try {
    await acquire(dataDir, path, mine);
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }

  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(path);
      const current = await readLock(path);
      if (current !== 'missing' && current?.token === mine.token) await unlink(path);
    },
  };
}
