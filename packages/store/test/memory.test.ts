// What only the memory store has to prove: it does not grow with entries
// nobody reads again, and its sweep never keeps a process alive.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryKeyValueStore } from '../src/memory-kv.ts';

describe('memory store', () => {
  test('sweep drops expired entries nobody reads again, and keeps live ones', async () => {
    let now = 0;
    const kv = new MemoryKeyValueStore(() => now);
    for (let i = 0; i < 100; i++) await kv.setIfAbsent(`replay:${i}`, '1', 30);
    await kv.set('session', 's', 3_600);
    await kv.set('config', 'c');
    now += 31_000;
    assert.equal(kv.size, 102, 'expired entries linger until swept');
    assert.equal(kv.sweep(), 100);
    assert.equal(kv.size, 2);
    assert.equal(await kv.get('session'), 's');
    assert.equal(await kv.get('config'), 'c');
  });

  test('an unclosed memory store does not keep the process alive', () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script = `const { openStore } = await import(${JSON.stringify(index)}); await openStore({ kind: 'memory' });`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 15_000,
      encoding: 'utf8',
    });
    assert.equal(child.error, undefined, 'exited on its own');
    assert.equal(child.status, 0, child.stderr);
  });
});
