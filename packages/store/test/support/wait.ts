// Waiting on asynchronous delivery (pub/sub, reconnects) without fixed sleeps.
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `check` returns true; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export { sleep };
