// Attacks on the verifier: every part of a signed request that the signature
// covers is tampered with in turn, the clock is pushed past the window, the
// same request is replayed (through the real shared store: Redis when
// REDIS_URL is set), and keys of other clients and older versions are tried.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '@passerelle/store';
import {
  createSignatureVerifier, deriveSigningKey, formatKeyId, signRequest, type SignedRequest, type SignatureVerifier,
} from '../src/index.ts';

const masterKey = randomBytes(32);
const clientId = `ck_${randomBytes(16).toString('base64url')}`;
const otherClientId = `ck_${randomBytes(16).toString('base64url')}`;
const keyVersion = 3;
const nowSeconds = 1_900_000_000;
let clock = nowSeconds * 1000;

let store: Store;
let verify: SignatureVerifier;

before(async () => {
  const redisUrl = process.env['REDIS_URL'];
  store = await openStore(redisUrl
    ? { kind: 'redis', url: redisUrl, keyPrefix: `passerelle-test:${randomBytes(6).toString('hex')}:` }
    : { kind: 'memory' });
  verify = createSignatureVerifier({ masterKey, replayCache: store.kv, now: () => clock });
});
after(() => store.close());

interface Draft { method: string; path: string; query: string; body: string; timestamp: number }

let counter = 0;
/** A fresh request each time (a unique query value), so no test trips over another's replay entry. */
function draft(overrides: Partial<Draft> = {}): Draft {
  counter += 1;
  return { method: 'POST', path: '/v1/orders', query: `n=${counter}&limit=5`, body: '{"amount":1}', timestamp: nowSeconds, ...overrides };
}

function sign(d: Draft, signer: { clientId: string; keyVersion: number } = { clientId, keyVersion }): string {
  return signRequest(
    { method: d.method, target: d.query ? `${d.path}?${d.query}` : d.path, body: d.body },
    { keyId: formatKeyId(signer.clientId, signer.keyVersion), signingKey: deriveSigningKey(masterKey, signer.clientId, signer.keyVersion) },
    d.timestamp,
  );
}

function asReceived(d: Draft, header: string | undefined, overrides: Partial<SignedRequest> = {}): SignedRequest {
  return { method: d.method, path: d.path, query: d.query, body: Buffer.from(d.body), header, clientId, keyVersion, ...overrides };
}

describe('a genuine signature', () => {
  test('is accepted once', async () => {
    const d = draft();
    assert.deepEqual(await verify(asReceived(d, sign(d))), { ok: true });
  });

  test('is accepted when the query arrives reordered and re-encoded', async () => {
    const d = draft({ query: 'b=caf%C3%A9&a=1', path: '/v1/files/%7Eme' });
    const header = sign(d);
    assert.deepEqual(await verify(asReceived(d, header, { query: 'a=1&b=caf%c3%a9', path: '/v1/files/~me' })), { ok: true });
  });

  test('is accepted at both edges of the ±300 s window', async () => {
    for (const skew of [-300, 300]) {
      const d = draft({ timestamp: nowSeconds + skew });
      assert.deepEqual(await verify(asReceived(d, sign(d))), { ok: true }, `skew ${skew}`);
    }
  });
});

describe('tampering fails', () => {
  const cases: [string, (d: Draft) => Partial<SignedRequest>][] = [
    ['method', () => ({ method: 'PUT' })],
    ['path', (d) => ({ path: `${d.path}/other` })],
    ['path: %2F for /', () => ({ path: '/v1%2Forders' })],
    ['query value', (d) => ({ query: d.query.replace('limit=5', 'limit=6') })],
    ['query: an added parameter', (d) => ({ query: `${d.query}&admin=1` })],
    ['query: a dropped parameter', (d) => ({ query: d.query.replace('&limit=5', '') })],
    ['body', () => ({ body: Buffer.from('{"amount":100}') })],
    ['body: one trailing byte', (d) => ({ body: Buffer.from(`${d.body}\n`) })],
  ];
  for (const [part, tamper] of cases) {
    test(`the ${part}`, async () => {
      const d = draft();
      assert.deepEqual(await verify(asReceived(d, sign(d), tamper(d))), { ok: false, reason: 'mismatch' });
    });
  }

  test('the timestamp in the header', async () => {
    const d = draft();
    const header = sign(d).replace(`t=${nowSeconds}`, `t=${nowSeconds + 1}`);
    assert.deepEqual(await verify(asReceived(d, header)), { ok: false, reason: 'mismatch' });
  });

  test('the key id: another client, or another version of this one', async () => {
    const d = draft();
    const signature = sign(d).split(', ').slice(1).join(', ');
    for (const keyId of [formatKeyId(otherClientId, keyVersion), formatKeyId(clientId, keyVersion + 1), 'nonsense']) {
      assert.deepEqual(await verify(asReceived(d, `keyId=${keyId}, ${signature}`)), { ok: false, reason: 'wrong_key' }, keyId);
    }
  });

  test('one bit of the MAC', async () => {
    const d = draft();
    const header = sign(d);
    const mac = Buffer.from(/s=([\w-]+)/.exec(header)![1]!, 'base64url');
    mac[0]! ^= 1;
    assert.deepEqual(await verify(asReceived(d, header.replace(/s=[\w-]+/, `s=${mac.toString('base64url')}`))), { ok: false, reason: 'mismatch' });
  });
});

describe('keys', () => {
  test("a signature made with another client's key fails, even under its own key id", async () => {
    const d = draft();
    const foreign = signRequest(
      { method: d.method, target: `${d.path}?${d.query}`, body: d.body },
      { keyId: formatKeyId(clientId, keyVersion), signingKey: deriveSigningKey(masterKey, otherClientId, keyVersion) },
      d.timestamp,
    );
    assert.deepEqual(await verify(asReceived(d, foreign)), { ok: false, reason: 'mismatch' });
  });

  test('bumping the key version rotates the key: the old key no longer verifies', async () => {
    assert.notEqual(deriveSigningKey(masterKey, clientId, keyVersion), deriveSigningKey(masterKey, clientId, keyVersion + 1));
    const d = draft();
    const oldKeySignature = sign(d, { clientId, keyVersion });
    assert.deepEqual(await verify(asReceived(d, oldKeySignature, { keyVersion: keyVersion + 1 })), { ok: false, reason: 'wrong_key' });
    const forged = oldKeySignature.replace(`.v${keyVersion},`, `.v${keyVersion + 1},`);
    assert.deepEqual(await verify(asReceived(d, forged, { keyVersion: keyVersion + 1 })), { ok: false, reason: 'mismatch' });
    const e = draft();
    assert.deepEqual(await verify(asReceived(e, sign(e, { clientId, keyVersion: keyVersion + 1 }), { keyVersion: keyVersion + 1 })), { ok: true });
  });

  test('another master key derives other keys', () => {
    assert.notEqual(deriveSigningKey(randomBytes(32), clientId, keyVersion), deriveSigningKey(masterKey, clientId, keyVersion));
    assert.throws(() => deriveSigningKey(randomBytes(16), clientId, keyVersion));
  });
});

describe('time and replay', () => {
  test('a timestamp beyond the window, either way, is expired', async () => {
    for (const skew of [-301, 301, -86_400]) {
      const d = draft({ timestamp: nowSeconds + skew });
      assert.deepEqual(await verify(asReceived(d, sign(d))), { ok: false, reason: 'expired' }, `skew ${skew}`);
    }
  });

  test('the same signed request twice is a replay, and stays one inside the window', async () => {
    const d = draft();
    const header = sign(d);
    assert.deepEqual(await verify(asReceived(d, header)), { ok: true });
    assert.deepEqual(await verify(asReceived(d, header)), { ok: false, reason: 'replayed' });
    clock += 299_000;
    try {
      assert.deepEqual(await verify(asReceived(d, header)), { ok: false, reason: 'replayed' });
    } finally {
      clock = nowSeconds * 1000;
    }
  });

  test('a replay through another verifier on the same store (another API process) fails too', async () => {
    const other = createSignatureVerifier({ masterKey, replayCache: store.kv, now: () => clock });
    const d = draft();
    const header = sign(d);
    assert.deepEqual(await verify(asReceived(d, header)), { ok: true });
    assert.deepEqual(await other(asReceived(d, header)), { ok: false, reason: 'replayed' });
  });

  test('a refused signature does not use up the request: the genuine one still passes', async () => {
    const d = draft();
    const header = sign(d);
    assert.equal((await verify(asReceived(d, header, { body: Buffer.from('x') }))).ok, false);
    assert.deepEqual(await verify(asReceived(d, header)), { ok: true });
  });
});

describe('malformed headers', () => {
  test('are refused without a verdict on the MAC', async () => {
    const d = draft();
    const good = sign(d);
    const s = /s=([\w-]+)/.exec(good)![1]!;
    const bad = [
      '',
      'garbage',
      good.replace('keyId=', 'keyid='),
      `${good}, t=${nowSeconds}`,                  // a parameter twice
      `${good}, x=1`,                              // an unknown parameter
      good.replace(/s=[\w-]+/, `s=${s}=`),         // padding
      good.replace(/s=[\w-]+/, `s=${s.slice(0, -1)}B`), // non-canonical trailing bits
      good.replace(/s=[\w-]+/, `s=${s.slice(1)}`), // short
      good.replace(`t=${nowSeconds}`, 't=-1'),
      good.replace(`t=${nowSeconds}`, 't=1e9'),
    ];
    for (const header of bad) {
      assert.deepEqual(await verify(asReceived(d, header)), { ok: false, reason: 'malformed' }, header);
    }
    assert.deepEqual(await verify(asReceived(d, undefined)), { ok: false, reason: 'missing' });
    assert.deepEqual(await verify(asReceived(d, good, { path: '/v1/orders%zz' })), { ok: false, reason: 'malformed' });
  });
});
