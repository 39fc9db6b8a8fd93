// Request signatures end to end: a client's signature policy decides which
// requests must carry an x-signature, and the API refuses missing, forged,
// stale and replayed ones with 401 and an RFC 6750-style challenge, before the
// route runs (no order is created or changed by a refused write).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { createSigningKeyRegistry } from '@passerelle/registry';
import type { SigningCredentials } from '@passerelle/signatures';
import {
  callApi, callApiSigned, getToken, registerClient, sampleOrder, signatureFor, signingCredentials, startStack,
  type Stack, type TestClient,
} from '../src/index.ts';

const scopes = ['partner:read', 'orders:read', 'orders:write'];
let stack: Stack;

before(async () => {
  stack = await startStack();
});
after(() => stack.close());

interface Caller { client: TestClient; token: string }

async function clientWith(policy?: 'off' | 'writes' | 'all'): Promise<Caller> {
  const client = await registerClient(stack, scopes, policy ? { signaturePolicy: policy } : {});
  return { client, token: await getToken(stack, client, scopes.join(' ')) };
}

const json = { 'content-type': 'application/json' };

/** POST /v1/orders with a new order; signed with `signing` unless it is null. */
function postOrder({ token, client }: Caller, body = JSON.stringify(sampleOrder()), signing: SigningCredentials | null = client.signing) {
  const init = { method: 'POST', headers: json, body };
  return signing ? callApiSigned(stack, '/v1/orders', token, signing, init) : callApi(stack, '/v1/orders', token, init);
}

function orderCount({ client }: Caller): Promise<number> {
  return stack.db.prisma.order.count({ where: { partnerId: client.partnerId } });
}

let unique = 0;
/** A path no earlier request used, so that no test trips over another's replay entry. */
const freshPath = () => `/v1/partners/me?n=${++unique}`;

async function expectRefused(res: Response, code: string): Promise<void> {
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', new RegExp(`^Bearer realm="passerelle", error="${code}", error_description="[^"]+"$`));
  const body = (await res.json()) as { code: string };
  assert.equal(body.code, code);
}

describe("default policy ('writes')", () => {
  let caller: Caller;
  before(async () => { caller = await clientWith(); });

  test('an unsigned write is refused with 401 signature_required, logged by reason only, and creates nothing', async () => {
    await expectRefused(await postOrder(caller, undefined, null), 'signature_required');
    const event = stack.logs.find((l) => l['event'] === 'signature.refused' && l['clientId'] === caller.client.clientId);
    assert.equal(event?.['level'], 'warn');
    assert.equal(event?.['reason'], 'missing');
    assert.equal(await orderCount(caller), 0);
  });

  test('a signed write passes: the order is created', async () => {
    const res = await postOrder(caller);
    assert.equal(res.status, 201);
  });

  test('the same signed write sent again is a replay: 401 signature_replayed, and still one order', async () => {
    const before = await orderCount(caller);
    const body = JSON.stringify(sampleOrder());
    const headers = { ...json, 'x-signature': signatureFor(caller.client.signing, 'POST', '/v1/orders', body) };
    assert.equal((await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers, body })).status, 201);
    await expectRefused(await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers, body }), 'signature_replayed');
    assert.equal(await orderCount(caller), before + 1);
    assert.ok(stack.logs.some((l) => l['event'] === 'signature.refused' && l['reason'] === 'replayed'));
    // ...and it is a security event in the audit trail (written off the request path: wait for it).
    const deadline = Date.now() + 5_000;
    // The earlier unsigned write left its own refusal: wait for this one by its reason.
    const replayed = (rows: { diff: unknown }[]) => rows.some((e) => (e.diff as { reason?: string } | null)?.reason === 'signature_replayed');
    let events: { diff: unknown }[] = [];
    while (!replayed(events) && Date.now() < deadline) {
      events = await stack.db.prisma.auditEvent.findMany({ where: { action: 'auth.refused', actorId: caller.client.clientId } });
      if (!replayed(events)) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(replayed(events), JSON.stringify(events));
    const mac = headers['x-signature'].split('s=')[1]!;
    assert.ok(!JSON.stringify(stack.logs).includes(mac), 'the signature never reaches the log');
    assert.ok(!JSON.stringify(events).includes(mac), 'nor the audit trail');
  });

  test('a signed body cannot be swapped: another body under the same signature is refused', async () => {
    const signed = JSON.stringify(sampleOrder());
    const swapped = JSON.stringify({ ...JSON.parse(signed) as object, notes: 'injected' });
    const headers = { ...json, 'x-signature': signatureFor(caller.client.signing, 'POST', '/v1/orders', signed) };
    await expectRefused(await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers, body: swapped }), 'invalid_signature');
    await expectRefused(await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers, body: `${signed} ` }), 'invalid_signature');
  });

  test('PUT and DELETE need it too, and pass when signed; PATCH is refused before routing', async () => {
    const created = (await (await postOrder(caller)).json()) as { id: string; reference: string };
    const path = `/v1/orders/${created.id}`;
    const body = JSON.stringify({ ...sampleOrder({ reference: created.reference }), status: 'confirmed' });
    await expectRefused(await callApi(stack, path, caller.token, { method: 'PUT', headers: { ...json, 'if-match': '"v1"' }, body }), 'signature_required');
    await expectRefused(await callApi(stack, path, caller.token, { method: 'DELETE' }), 'signature_required');
    await expectRefused(await callApi(stack, path, caller.token, { method: 'PATCH', headers: json, body: '{}' }), 'signature_required');

    const put = await callApiSigned(stack, path, caller.token, caller.client.signing, { method: 'PUT', headers: { ...json, 'if-match': '"v1"' }, body });
    assert.equal(put.status, 200);
    assert.equal((await callApiSigned(stack, path, caller.token, caller.client.signing, { method: 'DELETE' })).status, 204);
  });

  test('a GET needs no signature', async () => {
    assert.equal((await callApi(stack, '/v1/orders', caller.token)).status, 200);
    assert.equal((await callApi(stack, '/v1/partners/me', caller.token)).status, 200);
  });

  test('a signature for another path, method or time is refused', async () => {
    const body = JSON.stringify(sampleOrder());
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [signatureFor(caller.client.signing, 'POST', '/v1/orders?dry_run=1', body), 'invalid_signature'],
      [signatureFor(caller.client.signing, 'PUT', '/v1/orders', body), 'invalid_signature'],
      // The exact edges (±300 s accepted, ±301 s refused) are proved with a frozen clock in packages/signatures; here the wall clock ticks.
      [signatureFor(caller.client.signing, 'POST', '/v1/orders', body, now - 310), 'signature_expired'],
      [signatureFor(caller.client.signing, 'POST', '/v1/orders', body, now + 310), 'signature_expired'],
      ['keyId=garbage', 'invalid_signature'],
    ];
    for (const [signature, code] of cases) {
      const headers = { ...json, 'x-signature': signature };
      await expectRefused(await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers, body }), code);
    }
  });

  test("a signature made with another client's key is refused, under either key id", async () => {
    const other = await clientWith();
    await expectRefused(await postOrder(caller, undefined, other.client.signing), 'invalid_signature');
    const forged = { keyId: caller.client.signing.keyId, signingKey: other.client.signing.signingKey };
    await expectRefused(await postOrder(caller, undefined, forged), 'invalid_signature');
  });
});

describe("policy 'all'", () => {
  test('a GET must be signed too', async () => {
    const { client, token } = await clientWith('all');
    await expectRefused(await callApi(stack, '/v1/orders', token), 'signature_required');
    await expectRefused(await callApi(stack, '/v1/partners/me', token), 'signature_required');
    assert.equal((await callApiSigned(stack, '/v1/orders?limit=5', token, client.signing)).status, 200);
    const res = await callApiSigned(stack, freshPath(), token, client.signing);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { id: string }).id, client.partnerId);
  });
});

describe("policy 'off'", () => {
  test('nothing needs a signature, but a wrong one is still refused', async () => {
    const caller = await clientWith('off');
    assert.equal((await postOrder(caller, undefined, null)).status, 201);
    assert.equal((await callApi(stack, '/v1/orders', caller.token)).status, 200);
    const body = JSON.stringify(sampleOrder());
    const wrong = signatureFor(caller.client.signing, 'POST', '/v1/orders', `${body} `);
    await expectRefused(await callApi(stack, '/v1/orders', caller.token, { method: 'POST', headers: { ...json, 'x-signature': wrong }, body }), 'invalid_signature');
  });
});

describe('the admin face of signing keys', () => {
  test('an admin reads the key the API verifies with, and the read is audited without the key', async () => {
    const caller = await clientWith();
    const { client } = caller;
    const keys = createSigningKeyRegistry(stack.db.prisma, Buffer.from(stack.env['SIGNATURE_MASTER_KEY']!, 'base64url'));
    const admin = { type: 'admin' as const, id: 'admin-1' };
    const shown = await keys.signingKey(admin, client.clientId);
    assert.deepEqual({ keyId: shown.keyId, signingKey: shown.signingKey }, client.signing);
    assert.equal((await postOrder(caller, undefined, shown)).status, 201);

    const audit = await stack.db.prisma.auditEvent.findMany({ where: { targetId: client.clientId, action: 'client.signing_key.read' } });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actorId, 'admin-1');
    assert.ok(!JSON.stringify(audit).includes(shown.signingKey));
  });

  test('the key is in no database column: a full dump of the client rows does not contain it', async () => {
    const { client } = await clientWith();
    const rows = await stack.db.prisma.client.findMany();
    const audit = await stack.db.prisma.auditEvent.findMany();
    assert.ok(!JSON.stringify([rows, audit]).includes(client.signing.signingKey.slice(3)));
  });

  test('rotation: the old key stops working and the new one works (within the API client cache)', async () => {
    const caller = await clientWith();
    const { client } = caller;
    assert.equal((await postOrder(caller)).status, 201);
    const keys = createSigningKeyRegistry(stack.db.prisma, Buffer.from(stack.env['SIGNATURE_MASTER_KEY']!, 'base64url'));
    const rotated = await keys.rotateSigningKey({ type: 'admin', id: 'admin-1' }, client.clientId);
    assert.equal(rotated.keyVersion, 2);
    assert.deepEqual({ keyId: rotated.keyId, signingKey: rotated.signingKey }, signingCredentials(stack, client.clientId, 2));
    assert.notEqual(rotated.signingKey, client.signing.signingKey);

    // The API reads client policies through a cache of a few seconds: wait for it to turn over.
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await postOrder(caller, undefined, rotated)).status;
      if (status === 201) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, 201);
    await expectRefused(await postOrder(caller), 'invalid_signature');

    const audit = await stack.db.prisma.auditEvent.findFirst({ where: { targetId: client.clientId, action: 'client.signing_key.rotate' } });
    assert.deepEqual(audit?.diff, { before: { keyVersion: 1 }, after: { keyVersion: 2 } });
  });
});

describe('the admin CLI (shared mode: it needs the database and the master key)', { skip: !process.env['DATABASE_URL'] && 'runs against PostgreSQL only' }, () => {
  function admin(args: string[], env: Record<string, string>) {
    const root = workspaceRoot();
    return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), ...args], {
      cwd: root, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: stack.env['DATABASE_URL']!, REDIS_URL: process.env['REDIS_URL']!, ...env },
    });
  }

  test('clients signing-key prints the key the API verifies with; without SIGNATURE_MASTER_KEY it names the variable', async () => {
    const { client } = await clientWith();
    const shown = admin(['clients', 'signing-key', client.clientId, '--json'], { SIGNATURE_MASTER_KEY: stack.env['SIGNATURE_MASTER_KEY']! });
    assert.equal(shown.status, 0, shown.stderr);
    const key = JSON.parse(shown.stdout) as { keyId: string; signingKey: string; keyVersion: number };
    assert.deepEqual({ keyId: key.keyId, signingKey: key.signingKey }, client.signing);

    const missing = admin(['clients', 'signing-key', client.clientId], {});
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /SIGNATURE_MASTER_KEY/);
    assert.ok(!missing.stdout.includes('sk_'));
  });

  test('clients rotate-signing-key bumps the version', async () => {
    const { client } = await clientWith();
    const rotated = admin(['clients', 'rotate-signing-key', client.clientId, '--json'], { SIGNATURE_MASTER_KEY: stack.env['SIGNATURE_MASTER_KEY']! });
    assert.equal(rotated.status, 0, rotated.stderr);
    const key = JSON.parse(rotated.stdout) as { keyId: string; signingKey: string; keyVersion: number };
    assert.equal(key.keyVersion, 2);
    assert.deepEqual({ keyId: key.keyId, signingKey: key.signingKey }, signingCredentials(stack, client.clientId, 2));
    const row = await stack.db.prisma.client.findUnique({ where: { clientId: client.clientId } });
    assert.equal(row?.signingKeyVersion, 2);
  });
});
