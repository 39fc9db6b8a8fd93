// The README's reference signer is what partners copy: it must be this
// package's reference-signer.ts byte for byte, and the worked example must be
// one of the committed vectors; the shell signer must reproduce them too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const marker = '<!-- reference-signer: packages/signatures/src/reference-signer.ts -->\n```ts\n';

test('the README shows the reference signer exactly as the API uses it', () => {
  const start = readme.indexOf(marker);
  assert.ok(start >= 0, 'the README has the reference-signer block');
  const code = readme.slice(start + marker.length, readme.indexOf('\n```\n', start + marker.length) + 1);
  assert.equal(code, readFileSync(new URL('../src/reference-signer.ts', import.meta.url), 'utf8'));
});

test("the README's worked example is a committed test vector", () => {
  const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as {
    key: { key_id: string; signing_key: string };
    requests: { target: string; canonical: string; header: string }[];
  };
  const example = vectors.requests.find((v) => v.target === '/v1/orders')!;
  assert.ok(readme.includes(`\`\`\`\n${example.canonical}\n\`\`\``), 'canonical request');
  assert.ok(readme.includes(`x-signature: ${example.header}\n`), 'header');
  assert.ok(readme.includes(vectors.key.signing_key) && readme.includes(vectors.key.key_id), 'key');
});

const hasShellTools = ['bash', 'openssl', 'sha256sum'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

test("the README's shell signer reproduces the vectors whose targets are already canonical", { skip: !hasShellTools && 'needs bash, openssl and sha256sum' }, () => {
  const start = readme.indexOf('<!-- shell-signer -->\n```sh\n');
  assert.ok(start >= 0, 'the README has the shell-signer block');
  const block = readme.slice(start, readme.indexOf('\n```\n', start));
  const fn = block.slice(block.indexOf('sign_request() {'), block.indexOf('\n}\n') + 3);
  const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as {
    key: { key_id: string; signing_key: string };
    requests: { method: string; target: string; body_utf8?: string; timestamp: number; header: string }[];
  };
  const plain = vectors.requests.filter((v) => ['/v1/partners/me', '/v1/orders'].includes(v.target));
  assert.equal(plain.length, 2);
  for (const v of plain) {
    const res = spawnSync('bash', ['-c', `${fn}\nsign_request "$M" "$P" "$B"`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', KEY_ID: vectors.key.key_id, SIGNING_KEY: vectors.key.signing_key, T: String(v.timestamp), M: v.method, P: v.target, B: v.body_utf8 ?? '' },
    });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout, `${v.header}\n`);
  }
});
