// `npm start` / `pnpm start` run the root package.json's `start:embedded`
// script in a terminal, and a terminal's Ctrl-C sends SIGINT to every process
// of the foreground group at once. The service must see that as one signal and
// drain (README, "Shutdown"): a launcher that relays the signal it already
// delivered (the tsx CLI does, when its child is slow to acknowledge) makes it
// a second signal, and the service exits at once without closing the database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';

const root = workspaceRoot();
const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-start-script-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

test('Ctrl-C on the start script drains the embedded services once, not as a second signal', async () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts['start:embedded']!;
  const [authPort, apiPort] = [await freePort(), await freePort()];
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: [join(root, 'node_modules/.bin'), process.env['PATH']].join(delimiter),
    PASSERELLE_DATA_DIR: dataDir, LOG_LEVEL: 'info',
    AUTH_PORT: String(authPort), API_PORT: String(apiPort),
    AUTH_ISSUER: `http://127.0.0.1:${authPort}`, API_AUDIENCE: `http://127.0.0.1:${apiPort}`,
  };
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  // As a package manager runs it: through a shell, here in a process group of its own (the terminal's).
  const child = spawn('sh', ['-c', script], { cwd: root, env, detached: true });
  let output = '';
  child.stdout.on('data', (d) => { output += String(d); });
  child.stderr.on('data', (d) => { output += String(d); });
  // The shell itself may die of the SIGINT; the service's end is when the last writer closes the pipes.
  const closed = Promise.all([child.stdout, child.stderr].map((s) => new Promise((r) => s.once('close', r))));
  try {
    const deadline = Date.now() + 90_000;
    while (!/"msg":"[^"]* listening"/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the start script did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-child.pid!, 'SIGINT');
    await closed;
    assert.match(output, /"event":"shutdown.complete","forced":false/, output);
    assert.doesNotMatch(output, /shutdown.aborted/, output);
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* the group has already exited */ }
  }
});
