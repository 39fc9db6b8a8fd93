import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags, UsageError } from '../src/flags.ts';

test('a positional that begins with one dash is a value (key ids are base64url thumbprints)', () => {
  const { command, flags } = parseFlags(['keys', 'retire', '-gq3Zx_k', '--force']);
  assert.deepEqual(command, ['keys', 'retire']);
  assert.equal(flags.positional(0, 'kid'), '-gq3Zx_k');
  assert.equal(flags.boolean('force'), true);
});

test('an option value that begins with one dash reaches the command as written', () => {
  const { flags } = parseFlags(['clients', 'update', 'ck_x', '--daily-quota', '-5', '--name', '-x-']);
  assert.equal(flags.number('daily-quota'), -5);
  assert.equal(flags.string('name'), '-x-');
});

test('unknown long options are still refused as usage errors', () => {
  assert.throws(() => parseFlags(['clients', 'list', '--frobnicate']), UsageError);
});
