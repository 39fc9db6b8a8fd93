// Token-signing-key rotation through the admin HTTP API (the CLI's `keys`
// commands' twin): list, stage, cancel, an emergency rotation with a forced
// retirement, the same validation codes, an audit trail naming the admin
// client, and no private key material in any answer. The auth service carries
// the schedule out on its own refresh tick; the test only watches the JWKS,
// the tokens' `kid` and the API's answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeProtectedHeader, type JWK } from 'jose';
import { adminCaller, callApi, getToken, registerClient, startStack, type AdminCaller, type Stack, type TestClient } from '../src/index.ts';

let stack: Stack;
let admin: AdminCaller;
let partner: TestClient;
const answers: string[] = [];

before(async () => {
  stack = await startStack({
    env: { KEY_REFRESH_INTERVAL: '1', KEY_ACTIVATION_DELAY: '600', JWKS_CACHE_MAX_AGE: '1', KEY_RETIREMENT_MARGIN: '0' },
  });
  admin = await adminCaller(stack, (answer) => answers.push(answer.text));
  partner = await registerClient(stack, ['partner:read']);
});
after(() => stack.close());

async function waitUntil(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function published(): Promise<string[]> {
  const { keys } = (await (await fetch(`${stack.authUrl}/jwks`)).json()) as { keys: JWK[] };
  return keys.map((k) => k.kid!);
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid;

interface ListedKey { kid: string; status: string; signing: boolean; activatesAt: string | null }

async function listed(bearer?: string): Promise<ListedKey[]> {
  const res = await admin.call('GET', '/signing-keys', undefined, bearer);
  assert.equal(res.status, 200, res.text);
  return res.body.items as ListedKey[];
}

test('a partner token cannot list, rotate or retire keys', async () => {
  const token = await getToken(stack, partner, 'partner:read');
  for (const [method, path] of [['GET', '/signing-keys'], ['POST', '/signing-keys/rotate'], ['POST', '/signing-keys/any/retire']] as const) {
    const res = await admin.call(method, path, undefined, token);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.code, 'insufficient_scope');
  }
  assert.equal(await stack.db.prisma.signingKey.count({ where: { status: 'staged' } }), 0);
});

test('rotate stages a key that is published before it signs; one rotation at a time; cancelling withdraws it', async () => {
  const keys = await listed();
  assert.equal(keys.length, 1);
  const [signing] = keys;
  assert.equal(signing?.signing, true);
  assert.equal(signing.status, 'active');

  for (const [body, code] of [
    [{ activateInSeconds: -1 }, 'validation_failed'],
    [{ activateInSeconds: 'soon' }, 'validation_failed'],
    [{ activateInSeconds: 31 * 86_400 }, 'validation_failed'],
    [{ activateAt: 'now' }, 'unknown_field'],
  ] as const) {
    const res = await admin.call('POST', '/signing-keys/rotate', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.code, code, JSON.stringify(body));
  }

  const staged = await admin.call('POST', '/signing-keys/rotate', {});
  assert.equal(staged.status, 201, staged.text);
  assert.equal(staged.body.status, 'staged');
  const delay = (Date.parse(staged.body.activatesAt) - Date.now()) / 1000;
  assert.ok(delay > 590 && delay <= 600, `KEY_ACTIVATION_DELAY applies (${delay} s)`);
  assert.ok(await waitUntil(async () => (await published()).includes(staged.body.kid)), 'the staged key is published');
  assert.equal(kidOf(await getToken(stack, partner, 'partner:read')), signing.kid, 'the staged key signs nothing yet');

  const again = await admin.call('POST', '/signing-keys/rotate', { activateInSeconds: 0 });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'conflict');

  const cancelled = await admin.call('POST', `/signing-keys/${staged.body.kid}/retire`);
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.status, 'retired');
  assert.ok(await waitUntil(async () => !(await published()).includes(staged.body.kid)), 'the cancelled key leaves the JWKS');
});

test('an emergency rotation: the new key signs at the next refresh, and the old one withdrawn by force takes its tokens with it', async () => {
  const old = (await listed()).find((k) => k.signing);
  const oldToken = await getToken(stack, partner, 'partner:read');
  assert.equal(kidOf(oldToken), old!.kid);

  const staged = await admin.call('POST', '/signing-keys/rotate', { activateInSeconds: 0 });
  assert.equal(staged.status, 201, staged.text);
  let fresh = '';
  assert.ok(await waitUntil(async () => {
    fresh = await getToken(stack, partner, 'partner:read');
    return kidOf(fresh) === staged.body.kid;
  }), 'the new key signs');
  const keys = await listed();
  assert.deepEqual(keys.filter((k) => k.signing).map((k) => k.kid), [staged.body.kid]);

  // The admin's own token was signed by the old key: it takes a fresh one before withdrawing it.
  const adminToken = await getToken(stack, admin.client, 'admin');
  const signingNow = await admin.call('POST', `/signing-keys/${staged.body.kid}/retire`, undefined, adminToken);
  assert.equal(signingNow.status, 409, 'the signing key cannot be retired');
  const early = await admin.call('POST', `/signing-keys/${old!.kid}/retire`, { force: false }, adminToken);
  assert.equal(early.status, 409, 'tokens of the old key may still be valid');
  assert.equal((await admin.call('POST', '/signing-keys/no-such-kid/retire', undefined, adminToken)).status, 404);
  assert.equal((await admin.call('POST', `/signing-keys/${old!.kid}/retire`, { force: 'yes' }, adminToken)).body.code, 'validation_failed');
  assert.equal((await callApi(stack, '/v1/partners/me', oldToken)).status, 200, 'still accepted before the withdrawal');

  const withdrawn = await admin.call('POST', `/signing-keys/${old!.kid}/retire`, { force: true }, adminToken);
  assert.equal(withdrawn.status, 200, withdrawn.text);
  assert.equal(withdrawn.body.status, 'retired');
  assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', oldToken)).status === 401), 'the API refuses the old key\'s tokens');
  assert.equal((await callApi(stack, '/v1/partners/me', fresh)).status, 200);

  const trail = await admin.call('GET', '/audit-events?action=signing_key.*&limit=200', undefined, adminToken);
  const byAdmin = trail.body.items.filter((e: { actorId: string }) => e.actorId === admin.client.clientId);
  assert.deepEqual(byAdmin.map((e: { action: string; targetId: string }) => [e.action, e.targetId]).reverse(), [
    ['signing_key.stage', byAdmin.at(-1).targetId], ['signing_key.retire', byAdmin.at(-1).targetId],
    ['signing_key.stage', staged.body.kid], ['signing_key.retire', old!.kid],
  ]);
  for (const event of byAdmin) assert.equal(event.credential, 'bearer');
  assert.ok(trail.body.items.some((e: { action: string; actorType: string; targetId: string }) =>
    e.action === 'signing_key.activate' && e.actorType === 'system' && e.targetId === staged.body.kid));
});

test('no answer carried private key material', () => {
  assert.ok(answers.length > 10);
  for (const text of answers) assert.ok(!/"d"\s*:|encrypted|privateJwk/i.test(text), text);
});
