// `pnpm admin keys`: the token-signing key timeline, with the clock in the
// test's hands. The CLI schedules (rotate, retire); the auth service's refresh
// step (advanceSigningKeys) carries the schedule out; the keyring the provider
// is built from follows. Real database, commands run in-process.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { after, before, test } from 'node:test';
import { ConfigError } from '@passerelle/config';
import { openDatabase, type Database } from '@passerelle/db';
import { isProblem } from '@passerelle/errors';
import { advanceSigningKeys, ensureSigningKey, keyringOf } from '@passerelle/keys';
import { openStore, type Store } from '@passerelle/store';
import { createTestDatabase, type TestDatabase } from '@passerelle/system-tests';
import { createContext, type CommandContext } from '../src/context.ts';
import { parseFlags } from '../src/flags.ts';
import { runCommand } from '../src/run.ts';

const kek = randomBytes(32);
const RETIRE_AFTER = 700; // refresh interval + token TTL + margin, as the auth service computes it
let database: TestDatabase;
let db: Database;
let store: Store;
let ctx: CommandContext;
let output: string[] = [];

before(async () => {
  database = await createTestDatabase();
  db = await openDatabase(database.target, { migrate: true });
  store = await openStore({ kind: 'memory' });
  ctx = createContext({
    db, store, json: true, out: (line) => output.push(line),
    signingKeyEncryptionKey: kek.toString('base64url'), keyActivationDelaySeconds: 900, keyRefreshIntervalSeconds: 10,
  });
});
after(async () => {
  await ctx.close();
  await database.drop();
});

async function admin(...args: string[]): Promise<any> {
  output = [];
  const { command: [noun, action], flags } = parseFlags([...args, '--json']);
  await runCommand(ctx, noun, action, flags);
  return JSON.parse(output[0]!);
}

async function refused(code: string, ...args: string[]): Promise<void> {
  await assert.rejects(admin(...args), (err) => isProblem(err) && err.code === code, `${args.join(' ')} → ${code}`);
}

async function keyring() {
  return keyringOf(await db.prisma.signingKey.findMany({ where: { status: { not: 'retired' } } }), kek);
}

const at = (date: string | Date, seconds = 0) => new Date(new Date(date).getTime() + seconds * 1000);

test('rotate stages a published key that signs after the delay; the old key retires once its tokens have expired', async () => {
  const first = (await ensureSigningKey(db.prisma, kek))!;
  const staged = await admin('keys', 'rotate');
  assert.equal(staged.status, 'staged');
  const delay = (new Date(staged.activatesAt).getTime() - Date.now()) / 1000;
  assert.ok(delay > 890 && delay <= 900, `activates after KEY_ACTIVATION_DELAY (${delay} s)`);
  await refused('conflict', 'keys', 'rotate');

  // Staged: published (in the keyring, after the signing key), not signing.
  let ring = await keyring();
  assert.equal(ring.signingKid, first);
  assert.deepEqual(ring.publicJwks.keys.map((k) => k.kid), [first, staged.kid]);
  assert.equal(ring.publicJwks.keys.some((k) => 'd' in k), false, 'public keys only');
  assert.equal(await advanceSigningKeys(db.prisma, { retireAfterSeconds: RETIRE_AFTER, now: at(staged.activatesAt, -1) }), false);

  // Activation, as of the scheduled time: the new key signs, the old one is published until it retires.
  assert.equal(await advanceSigningKeys(db.prisma, { retireAfterSeconds: RETIRE_AFTER, now: at(staged.activatesAt, 5) }), true);
  ring = await keyring();
  assert.equal(ring.signingKid, staged.kid);
  assert.deepEqual(ring.publicJwks.keys.map((k) => k.kid), [staged.kid, first]);
  const listed = await admin('keys', 'list') as { kid: string; status: string; signing: boolean; activatedAt: string; retiresAt: string | null }[];
  const [newer, older] = [listed.find((k) => k.kid === staged.kid)!, listed.find((k) => k.kid === first)!];
  assert.deepEqual([newer.status, newer.signing, newer.activatedAt], ['active', true, new Date(staged.activatesAt).toISOString()]);
  assert.deepEqual([older.status, older.signing, older.retiresAt], ['active', false, at(staged.activatesAt, RETIRE_AFTER).toISOString()]);

  // The operator cannot pull the signing key, nor a key whose tokens may still be valid, by mistake.
  await refused('conflict', 'keys', 'retire', staged.kid);
  await refused('conflict', 'keys', 'retire', first);
  await refused('not_found', 'keys', 'retire', 'no-such-kid');

  assert.equal(await advanceSigningKeys(db.prisma, { retireAfterSeconds: RETIRE_AFTER, now: at(older.retiresAt!, -1) }), false);
  assert.equal(await advanceSigningKeys(db.prisma, { retireAfterSeconds: RETIRE_AFTER, now: at(older.retiresAt!) }), true);
  ring = await keyring();
  assert.deepEqual(ring.publicJwks.keys.map((k) => k.kid), [staged.kid]);

  const trail = await db.prisma.auditEvent.findMany({ where: { targetType: 'signing_key' }, orderBy: { at: 'asc' } });
  assert.deepEqual(trail.map((e) => [e.action, e.targetId === first ? 'old' : 'new', e.actorType]), [
    ['signing_key.stage', 'new', 'cli'], ['signing_key.activate', 'new', 'system'],
    ['signing_key.supersede', 'old', 'system'], ['signing_key.retire', 'old', 'system'],
  ]);
  assert.equal(trail[0]!.actorId, `os:${userInfo().username}`);
  assert.ok(!JSON.stringify(trail).includes('encrypted'), 'no key material in the trail');
});

test('retire cancels a staged rotation, and --force withdraws a compromised superseded key at once', async () => {
  const cancelled = await admin('keys', 'rotate', '--activate-in', '60');
  assert.equal((await admin('keys', 'retire', cancelled.kid)).status, 'retired');
  assert.equal((await keyring()).publicJwks.keys.some((k) => k.kid === cancelled.kid), false);

  // The first test moved its clock far ahead: start this timeline from a fresh key.
  await db.prisma.signingKey.deleteMany();
  const signingBefore = (await ensureSigningKey(db.prisma, kek))!;
  const emergency = await admin('keys', 'rotate', '--activate-in', '0');
  await advanceSigningKeys(db.prisma, { retireAfterSeconds: RETIRE_AFTER, now: at(emergency.activatesAt, 1) });
  assert.equal((await keyring()).signingKid, emergency.kid);
  await refused('conflict', 'keys', 'retire', signingBefore);
  assert.equal((await admin('keys', 'retire', signingBefore, '--force')).status, 'retired');
  assert.deepEqual((await keyring()).publicJwks.keys.map((k) => k.kid), [emergency.kid]);
});

test('a malformed or out-of-range delay is refused with the admin API\'s code, and stages nothing', async () => {
  const before = await db.prisma.signingKey.count();
  for (const delay of ['soon', '1.5', String(31 * 86_400)]) await refused('validation_failed', 'keys', 'rotate', '--activate-in', delay);
  assert.equal(await db.prisma.signingKey.count(), before);
});

test('rotate needs the auth service\'s key-encryption key', async () => {
  const bare = createContext({ db, store, json: true, out: () => {} });
  const { command: [noun, action], flags } = parseFlags(['keys', 'rotate']);
  await assert.rejects(runCommand(bare, noun, action, flags), (err) => err instanceof ConfigError && err.variable === 'SIGNING_KEY_ENCRYPTION_KEY');
});
