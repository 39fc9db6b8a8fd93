// The admin CLI: every operation through the very commands `pnpm admin` runs,
// against a real database and store, plus the real entry point spawned as a
// process. Same validation codes and audit as the HTTP API (both call the
// registry); the actor is the operating-system user.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { openDatabase, type Database } from '@passerelle/db';
import { isProblem } from '@passerelle/errors';
import { openRevocationMirror } from '@passerelle/revocation';
import { openStore, type Store } from '@passerelle/store';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '@passerelle/system-tests';
import { createContext, type CommandContext } from '../src/context.ts';
import { parseFlags } from '../src/flags.ts';
import { runCommand } from '../src/run.ts';

let database: TestDatabase;
let db: Database;
let store: Store;
let ctx: CommandContext;
let output: string[] = [];
const me = `os:${userInfo().username}`;

before(async () => {
  database = await createTestDatabase();
  db = await openDatabase(database.target, { migrate: true });
  store = process.env['REDIS_URL']
    ? await openStore({ kind: 'redis', url: process.env['REDIS_URL'], keyPrefix: testRedisPrefix() })
    : await openStore({ kind: 'memory' });
  ctx = createContext({ db, store, json: true, out: (line) => output.push(line), defaultGraceSeconds: 7200 });
});
after(async () => {
  await ctx.close();
  await database.drop();
});

/** Runs `pnpm admin <args> --json` in-process and returns its parsed output. */
async function admin(...args: string[]): Promise<any> {
  output = [];
  const { command: [noun, action], flags } = parseFlags(args);
  await runCommand(ctx, noun, action, flags);
  return output.length === 1 ? JSON.parse(output[0]!) : output.map((l) => JSON.parse(l));
}

async function refused(code: string, ...args: string[]): Promise<void> {
  await assert.rejects(admin(...args), (err) => isProblem(err) && err.code === code, `${args.join(' ')} → ${code}`);
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

async function partner(): Promise<string> {
  const slug = unique('cli');
  await admin('partners', 'create', '--slug', slug, '--name', `CLI ${slug}`);
  return slug;
}

describe('partners', () => {
  test('create, list, show, update, disable and enable', async () => {
    const slug = await partner();
    assert.equal((await admin('partners', 'show', slug)).slug, slug);
    assert.equal((await admin('partners', 'update', slug, '--name', 'Renamed')).name, 'Renamed');
    assert.equal((await admin('partners', 'disable', slug)).status, 'disabled');
    const listed = await admin('partners', 'list', '--status', 'disabled', '--limit', '200');
    assert.ok(listed.items.some((p: { slug: string }) => p.slug === slug));
    assert.equal((await admin('partners', 'enable', slug)).status, 'active');
  });

  test('duplicates, missing partners and unknown input are refused with their codes', async () => {
    const slug = await partner();
    await refused('conflict', 'partners', 'create', '--slug', slug, '--name', 'again');
    await refused('not_found', 'partners', 'show', 'no-such-partner');
    await refused('validation_failed', 'partners', 'create', '--slug', 'Not A Slug', '--name', 'x');
    await refused('validation_failed', 'partners', 'list', '--status', 'deleted');
  });
});

describe('clients', () => {
  test('create prints the consumer-secret once; show never does', async () => {
    const slug = await partner();
    const created = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read,orders:read',
      '--ip-allowlist', '203.0.113.0/24,2001:db8::/48', '--daily-quota', '1000', '--signature-policy', 'all');
    assert.match(created.consumerKey, /^ck_/);
    assert.match(created.consumerSecret, /^cs_/);
    assert.deepEqual(created.client.ipAllowlist, ['203.0.113.0/24', '2001:db8::/48']);
    assert.equal(created.client.dailyQuota, 1000);
    assert.equal(created.client.signaturePolicy, 'all');
    const shown = await admin('clients', 'show', created.consumerKey);
    assert.ok(!JSON.stringify(shown).includes(created.consumerSecret));
    assert.equal(shown.secretHash, undefined);
  });

  test('update every field, including clearing lists and the quota', async () => {
    const slug = await partner();
    const { consumerKey } = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read', '--ip-allowlist', '10.0.0.0/8');
    const updated = await admin('clients', 'update', consumerKey, '--name', 'renamed', '--scopes', 'orders:read,orders:write',
      '--grant-types', 'client_credentials,authorization_code', '--redirect-uris', 'https://app.example/cb',
      '--rate-tier', 'basic', '--signature-policy', 'off', '--daily-quota', '50', '--ip-allowlist', '', '--basic-auth-fallback');
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.allowedScopes, ['orders:read', 'orders:write']);
    assert.deepEqual(updated.grantTypes, ['client_credentials', 'authorization_code']);
    assert.deepEqual(updated.redirectUris, ['https://app.example/cb']);
    assert.equal(updated.rateTier, 'basic');
    assert.equal(updated.signaturePolicy, 'off');
    assert.equal(updated.dailyQuota, 50);
    assert.deepEqual(updated.ipAllowlist, []);
    assert.equal(updated.basicAuthFallback, true);
    const again = await admin('clients', 'update', consumerKey, '--daily-quota', 'none', '--no-basic-auth-fallback');
    assert.equal(again.dailyQuota, null);
    assert.equal(again.basicAuthFallback, false);
  });

  test('list filters by partner, status, name and scope', async () => {
    const slug = await partner();
    const a = await admin('clients', 'create', '--partner', slug, '--name', 'alpha', '--scopes', 'orders:read');
    const b = await admin('clients', 'create', '--partner', slug, '--name', 'beta', '--scopes', 'partner:read');
    await admin('clients', 'disable', b.consumerKey);
    const keys = (page: { items: { clientId: string }[] }) => page.items.map((c) => c.clientId);
    assert.deepEqual(keys(await admin('clients', 'list', '--partner', slug)), [a.consumerKey, b.consumerKey]);
    assert.deepEqual(keys(await admin('clients', 'list', '--partner', slug, '--status', 'disabled')), [b.consumerKey]);
    assert.deepEqual(keys(await admin('clients', 'list', '--partner', slug, '--name', 'ALP')), [a.consumerKey]);
    assert.deepEqual(keys(await admin('clients', 'list', '--partner', slug, '--scope', 'orders:read')), [a.consumerKey]);
    const first = await admin('clients', 'list', '--partner', slug, '--limit', '1');
    assert.deepEqual(keys(await admin('clients', 'list', '--partner', slug, '--limit', '1', '--cursor', first.nextCursor)), [b.consumerKey]);
  });

  test('bad input is refused with the same codes as the HTTP API', async () => {
    const slug = await partner();
    const { consumerKey } = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read');
    await refused('invalid_redirect_uri', 'clients', 'create', '--partner', slug, '--scopes', 'partner:read', '--grant-types', 'authorization_code', '--redirect-uris', 'http://app.example/cb');
    await refused('unknown_scope', 'clients', 'create', '--partner', slug, '--scopes', 'partner:read,root');
    await refused('invalid_cidr', 'clients', 'create', '--partner', slug, '--scopes', 'partner:read', '--ip-allowlist', '10.0.0.0/33');
    await refused('invalid_cidr', 'clients', 'update', consumerKey, '--ip-allowlist', '2001:db8::g/64');
    await refused('grace_out_of_range', 'clients', 'rotate-secret', consumerKey, '--grace', '99999999');
    await refused('grace_out_of_range', 'clients', 'rotate-secret', consumerKey, '--grace', 'soon');
    await refused('validation_failed', 'clients', 'update', consumerKey, '--rate-tier', 'gold');
    await refused('conflict', 'clients', 'create', '--partner', slug, '--name', `${slug} client`, '--scopes', 'partner:read');
    await refused('not_found', 'clients', 'show', 'ck_missing');
    await refused('not_found', 'clients', 'delete', 'ck_missing');
    await refused('not_found', 'clients', 'create', '--partner', 'no-such-partner', '--scopes', 'partner:read');
  });

  test('disable, delete and the end of a grace put a "not before" for the client on the shared revocation list', async () => {
    const mirror = await openRevocationMirror(store);
    try {
      const slug = await partner();
      const iat = Math.floor(Date.now() / 1000) - 1;
      const [one, two, three] = [
        await admin('clients', 'create', '--partner', slug, '--name', 'one', '--scopes', 'partner:read'),
        await admin('clients', 'create', '--partner', slug, '--name', 'two', '--scopes', 'partner:read'),
        await admin('clients', 'create', '--partner', slug, '--name', 'three', '--scopes', 'partner:read'),
      ];
      const revoked = (clientId: string) => mirror.isRevoked({ jti: 'any', iat, clientId });
      assert.equal(revoked(one.consumerKey), false);
      await admin('clients', 'disable', one.consumerKey);
      await admin('clients', 'delete', two.consumerKey);
      const rotated = await admin('clients', 'rotate-secret', three.consumerKey);
      assert.ok(rotated.graceEndsAt, 'the configured default grace applies');
      assert.equal(Date.parse(rotated.graceEndsAt) - Date.now() > 7100_000, true);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(revoked(three.consumerKey), false, 'a grace keeps the tokens');
      await admin('clients', 'end-grace', three.consumerKey);
      await new Promise((r) => setTimeout(r, 200));
      for (const key of [one.consumerKey, two.consumerKey, three.consumerKey]) assert.equal(revoked(key), true, key);
      assert.equal((await admin('clients', 'enable', one.consumerKey)).status, 'active');
      assert.equal((await admin('clients', 'show', three.consumerKey)).secretGraceEndsAt, null);
      const now = await admin('clients', 'rotate-secret', three.consumerKey, '--grace', '0');
      assert.equal(now.graceEndsAt, null);
    } finally {
      await mirror.close();
    }
  });
});

describe('api-keys', () => {
  test('create shows the key once; list and show never do; revoke reaches the shared revocation list', async () => {
    const mirror = await openRevocationMirror(store);
    try {
      const slug = await partner();
      const { consumerKey } = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read,orders:read');
      const created = await admin('api-keys', 'create', '--client', consumerKey, '--scopes', 'orders:read', '--name', 'nightly export',
        '--expires-at', '2099-01-01T00:00:00Z');
      assert.match(created.key, /^psk_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.apiKey.expiresAt, '2099-01-01T00:00:00.000Z');
      const id = created.apiKey.id as string;
      const listed = await admin('api-keys', 'list', '--partner', slug);
      assert.deepEqual(listed.items.map((k: { id: string }) => k.id), [id]);
      assert.deepEqual((await admin('api-keys', 'list', '--client', consumerKey, '--status', 'revoked')).items, []);
      const shown = await admin('api-keys', 'show', id);
      assert.equal(shown.prefix, created.key.slice(0, 10));
      for (const value of [listed, shown]) assert.ok(!JSON.stringify(value).includes(created.key.slice(10)));

      assert.equal(mirror.isApiKeyRevoked(id), false);
      assert.equal((await admin('api-keys', 'revoke', id)).status, 'revoked');
      for (let i = 0; i < 50 && !mirror.isApiKeyRevoked(id); i += 1) await new Promise((r) => setTimeout(r, 20));
      assert.equal(mirror.isApiKeyRevoked(id), true);
      const trail = await admin('audit', 'list', '--action', 'api_key.*', '--actor', me, '--limit', '200');
      assert.deepEqual(trail.items.filter((e: { targetId: string }) => e.targetId === id).map((e: { action: string }) => e.action), ['api_key.revoke', 'api_key.create']);
    } finally {
      await mirror.close();
    }
  });

  test('bad input is refused with the same codes as the HTTP API', async () => {
    const slug = await partner();
    const { consumerKey } = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read');
    await refused('scope_not_allowed', 'api-keys', 'create', '--client', consumerKey, '--scopes', 'orders:write');
    await refused('unknown_scope', 'api-keys', 'create', '--client', consumerKey, '--scopes', 'root');
    await refused('validation_failed', 'api-keys', 'create', '--client', consumerKey, '--scopes', 'partner:read', '--expires-at', 'tomorrow');
    await refused('validation_failed', 'api-keys', 'create', '--client', consumerKey, '--scopes', 'partner:read', '--expires-at', '2001-01-01T00:00:00Z');
    await refused('not_found', 'api-keys', 'create', '--client', 'ck_missing', '--scopes', 'partner:read');
    await refused('not_found', 'api-keys', 'revoke', '00000000-0000-4000-8000-000000000000');
    await refused('not_found', 'api-keys', 'show', 'not-an-id');
  });
});

describe('audit', () => {
  test('a client lifecycle, as the OS user, listed with filters and exported as JSON lines, with no secret anywhere', async () => {
    const slug = await partner();
    const created = await admin('clients', 'create', '--partner', slug, '--scopes', 'partner:read');
    const key = created.consumerKey as string;
    await admin('clients', 'update', key, '--ip-allowlist', '192.0.2.0/24');
    const rotated = await admin('clients', 'rotate-secret', key, '--grace', '60');
    await admin('clients', 'disable', key);
    await admin('clients', 'delete', key);

    const listed = await admin('audit', 'list', '--client', key);
    const actions = listed.items.map((e: { action: string }) => e.action).reverse();
    assert.deepEqual(actions, ['client.create', 'client.update', 'client.secret.rotate', 'client.disable', 'client.delete']);
    for (const event of listed.items) {
      assert.equal(event.actorType, 'cli');
      assert.equal(event.actorId, me);
    }
    const update = listed.items.find((e: { action: string }) => e.action === 'client.update');
    assert.deepEqual(update.diff, { before: { ipAllowlist: [] }, after: { ipAllowlist: ['192.0.2.0/24'] } });
    assert.equal((await admin('audit', 'list', '--client', key, '--action', 'client.secret.*')).items.length, 1);
    assert.ok((await admin('audit', 'list', '--actor', me, '--action', 'partner.create', '--limit', '200')).items.some((e: { targetId: string }) => e.targetId === slug));
    assert.deepEqual((await admin('audit', 'list', '--client', key, '--to', '2000-01-01T00:00:00Z')).items, []);
    await refused('validation_failed', 'audit', 'list', '--from', 'last tuesday');

    const exported = await admin('audit', 'export', '--client', key);
    assert.deepEqual(exported.map((e: { action: string }) => e.action), actions);
    const everything = JSON.stringify(exported);
    for (const secret of [created.consumerSecret, rotated.consumerSecret]) assert.ok(!everything.includes(secret));
    assert.ok(!/sha256:|secretHash/.test(everything));
  });
});

describe('the real entry point', () => {
  test('`pnpm admin` runs without a server, records the OS user, and exits 1 with the code on a refusal', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-cli-'));
    try {
      // The test's database in shared mode; a folder of its own in embedded mode.
      const shared = database.env['DATABASE_URL'] ? { ...database.env, REDIS_URL: process.env['REDIS_URL'] ?? '', REDIS_KEY_PREFIX: testRedisPrefix() } : {};
      const env = { ...process.env, PASSERELLE_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', NODE_ENV: 'test', ...shared };
      const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], { cwd: workspaceRoot(), env, encoding: 'utf8' });
      const slug = unique('spawned');
      const created = cli('partners', 'create', '--slug', slug, '--name', 'Spawned');
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`Partner "${slug}" created`));
      const bad = cli('clients', 'create', '--partner', slug, '--scopes', 'root');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /^error: unknown_scope: /);
      const usage = cli('frobnicate', 'now');
      assert.equal(usage.status, 2);
      const trail = cli('audit', 'export', '--action', 'partner.create');
      assert.equal(trail.status, 0, trail.stderr);
      const events = trail.stdout.trim().split('\n').map((l) => JSON.parse(l) as { actorId: string; targetId: string });
      assert.deepEqual(events.filter((e) => e.targetId === slug).map((e) => e.actorId), [me]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
