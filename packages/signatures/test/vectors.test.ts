// The committed test vectors (vectors.json) pin the canonical form, the header
// and the key derivation: the reference signer must reproduce them byte for
// byte, and the verifier must accept them. They were cross-checked once against
// an independent implementation (Python's hmac/hashlib), not generated and trusted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openStore } from '@passerelle/store';
import {
  canonicalRequest, createSignatureVerifier, deriveSigningKey, formatKeyId, parseKeyId, signRequest,
} from '../src/index.ts';

interface Vector {
  name: string; method: string; target: string; body_utf8?: string; body_base64?: string;
  timestamp: number; canonical: string; header: string;
}
const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as {
  derivation: { master_key: string; client_id: string; key_version: number; signing_key: string; key_id: string }[];
  key: { key_id: string; signing_key: string };
  requests: Vector[];
};
const bodyOf = (v: Vector) => (v.body_base64 !== undefined ? Buffer.from(v.body_base64, 'base64') : v.body_utf8 ?? '');

test('signing keys and key ids derive as the vectors say', () => {
  for (const d of vectors.derivation) {
    assert.equal(deriveSigningKey(Buffer.from(d.master_key, 'base64url'), d.client_id, d.key_version), d.signing_key);
    assert.equal(formatKeyId(d.client_id, d.key_version), d.key_id);
  }
});

for (const v of vectors.requests) {
  test(`vector "${v.name}": the reference signer produces the canonical string and header`, () => {
    const request = { method: v.method, target: v.target, body: bodyOf(v) };
    assert.equal(canonicalRequest(request, vectors.key.key_id, v.timestamp), v.canonical);
    assert.equal(signRequest(request, { keyId: vectors.key.key_id, signingKey: vectors.key.signing_key }, v.timestamp), v.header);
  });

  test(`vector "${v.name}": the verifier accepts it`, async () => {
    const d = vectors.derivation[0]!;
    const store = await openStore({ kind: 'memory' });
    const verify = createSignatureVerifier({
      masterKey: Buffer.from(d.master_key, 'base64url'), replayCache: store.kv, now: () => v.timestamp * 1000,
    });
    const [path = '', query = ''] = v.target.split(/\?(.*)/s);
    const { clientId, keyVersion } = parseKeyId(vectors.key.key_id)!;
    const result = await verify({ method: v.method.toUpperCase(), path, query, body: Buffer.from(bodyOf(v)), header: v.header, clientId, keyVersion });
    assert.deepEqual(result, { ok: true });
    await store.close();
  });
}
