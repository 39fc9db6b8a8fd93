// The accounts domain against a real database and store: hashes at rest, the
// same answer for an unknown account and a wrong password, lockouts per account
// and per address, an audited password change that ends the old credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '@passerelle/db';
import { openStore, type Store } from '@passerelle/store';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '../src/index.ts';
import { createAccounts, type Accounts } from '@passerelle/accounts';

let database: TestDatabase;
let db: Database;
let store: Store;
let accounts: Accounts;
const changed: string[] = [];
const cli = { type: 'cli' as const, id: 'test' };
let n = 0;
const uniqueEmail = () => `user${++n}-${process.pid}@example.test`;
const from = (ip: string) => ({ ip, requestId: `req-${ip}` });

before(async () => {
  database = await createTestDatabase();
  db = await openDatabase(database.target, { migrate: true });
  const redisUrl = process.env['REDIS_URL'];
  store = await openStore(redisUrl ? { kind: 'redis', url: redisUrl, keyPrefix: testRedisPrefix() } : { kind: 'memory' });
  accounts = createAccounts({
    prisma: db.prisma,
    store,
    limits: { perAccount: { points: 3, duration: 60, blockDuration: 60 }, perIp: { points: 8, duration: 60, blockDuration: 60 } },
    onCredentialsChanged: async (userId) => { changed.push(userId); },
  });
});
after(async () => {
  await store.close();
  await db.close();
  await database.drop();
});

describe('creating users', () => {
  test('stores only an Argon2id hash at the OWASP parameters, and audits the creation', async () => {
    const email = uniqueEmail();
    const user = await accounts.createUser(cli, { email: `  ${email.toUpperCase()} `, name: 'Ada', password: 'correct horse battery' });
    assert.equal(user.email, email);
    assert.equal('passwordHash' in user, false);
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.match(row.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.doesNotMatch(row.passwordHash, /correct horse/);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: user.id } });
    assert.doesNotMatch(JSON.stringify(audit.diff), /argon2|correct horse/);
  });

  test('refuses a second account with the same email in another case, and short passwords', async () => {
    const email = uniqueEmail();
    await accounts.createUser(cli, { email, name: 'One', password: 'a long enough password' });
    await assert.rejects(accounts.createUser(cli, { email: email.toUpperCase(), name: 'Two', password: 'a long enough password' }), { code: 'conflict' });
    await assert.rejects(accounts.createUser(cli, { email: uniqueEmail(), name: 'Short', password: 'short' }), { code: 'validation_failed' });
  });
});

describe('signing in', () => {
  test('an unknown account and a wrong password get the same answer, and both are security events', async () => {
    const email = uniqueEmail();
    const user = await accounts.createUser(cli, { email, name: 'Bo', password: 'the right password' });
    const wrong = await accounts.signIn(from('198.51.100.1'), email, 'the wrong password');
    const unknown = await accounts.signIn(from('198.51.100.1'), uniqueEmail(), 'the wrong password');
    assert.deepEqual(wrong, { ok: false, reason: 'invalid_credentials' });
    assert.deepEqual(unknown, wrong);
    const events = await db.prisma.auditEvent.findMany({ where: { action: 'user.sign_in', requestId: 'req-198.51.100.1' }, orderBy: { at: 'asc' } });
    assert.deepEqual(events.map((e) => [e.outcome, (e.diff as { reason: string }).reason]), [['failure', 'wrong_password'], ['failure', 'unknown_account']]);
    assert.equal(events[0]!.targetId, user.id);
    assert.equal(events[0]!.ip, '198.51.100.1');

    const ok = await accounts.signIn(from('198.51.100.1'), email.toUpperCase(), 'the right password');
    assert.equal(ok.ok && ok.user.id, user.id);
  });

  test('locks an account after repeated failures, even against the right password, from any address', async () => {
    const email = uniqueEmail();
    await accounts.createUser(cli, { email, name: 'Cy', password: 'the right password' });
    for (let i = 0; i < 3; i++) assert.equal((await accounts.signIn(from(`203.0.113.${i}`), email, `guess ${i}`)).ok, false);
    const locked = await accounts.signIn(from('203.0.113.99'), email, 'the right password');
    assert.equal(locked.ok, false);
    assert.equal(!locked.ok && locked.reason, 'locked');
    assert.ok(!locked.ok && locked.reason === 'locked' && locked.retryAfterSeconds > 0);
  });

  test('an unknown account locks exactly like a real one', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 3; i++) await accounts.signIn(from(`192.0.2.${i}`), email, `guess ${i}`);
    const locked = await accounts.signIn(from('192.0.2.99'), email, 'anything');
    assert.equal(!locked.ok && locked.reason, 'locked');
  });

  test('locks an address that guesses across many accounts', async () => {
    const ip = '198.51.100.77';
    const victim = uniqueEmail();
    await accounts.createUser(cli, { email: victim, name: 'Di', password: 'the right password' });
    for (let i = 0; i < 8; i++) await accounts.signIn(from(ip), uniqueEmail(), 'password123456');
    const locked = await accounts.signIn(from(ip), victim, 'the right password');
    assert.equal(!locked.ok && locked.reason, 'locked');
    const elsewhere = await accounts.signIn(from('198.51.100.78'), victim, 'the right password');
    assert.equal(elsewhere.ok, true);
  });
});

describe('backoff', () => {
  test('each lock of the same account lasts twice the one before, up to the cap; the owner signing in resets it', async () => {
    const backoff = createAccounts({
      prisma: db.prisma,
      store,
      limits: { perAccount: { points: 2, duration: 60, blockDuration: 1, maxBlockDuration: 2 }, perIp: { points: 100, duration: 60, blockDuration: 1 } },
    });
    const email = uniqueEmail();
    await backoff.createUser(cli, { email, name: 'Fa', password: 'the right password' });
    const lockAfterTwoFailures = async (round: number) => {
      for (let i = 0; i < 2; i++) assert.deepEqual(await backoff.signIn(from(`203.0.113.${10 * round + i}`), email, 'a wrong guess'), { ok: false, reason: 'invalid_credentials' });
      const locked = await backoff.signIn(from('203.0.113.200'), email, 'the right password');
      assert.ok(!locked.ok && locked.reason === 'locked', `round ${round} locks`);
      return locked.retryAfterSeconds;
    };
    const waitOut = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 150));

    assert.equal(await lockAfterTwoFailures(1), 1);
    await waitOut(1);
    assert.equal(await lockAfterTwoFailures(2), 2, 'the second lock lasts twice the first');
    await waitOut(2);
    assert.equal(await lockAfterTwoFailures(3), 2, 'capped at maxBlockDuration');
    await waitOut(2);
    assert.equal((await backoff.signIn(from('203.0.113.201'), email, 'the right password')).ok, true);
    assert.equal(await lockAfterTwoFailures(4), 1, 'a success starts the backoff over');
  });
});

describe('changing a password', () => {
  test('needs the current password, audits the change, and ends the old credentials', async () => {
    const email = uniqueEmail();
    const user = await accounts.createUser(cli, { email, name: 'Ed', password: 'the first password' });
    const refused = await accounts.changePassword(from('192.0.2.200'), { email, currentPassword: 'not it at all', newPassword: 'the second password' });
    assert.equal(refused.ok, false);
    assert.equal(changed.includes(user.id), false);

    const done = await accounts.changePassword(from('192.0.2.200'), { email, currentPassword: 'the first password', newPassword: 'the second password' });
    assert.equal(done.ok, true);
    assert.ok(changed.includes(user.id));
    assert.equal((await accounts.signIn(from('192.0.2.200'), email, 'the first password')).ok, false);
    assert.equal((await accounts.signIn(from('192.0.2.200'), email, 'the second password')).ok, true);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.password_change', targetId: user.id, outcome: 'success' } });
    assert.equal(audit.actorId, user.id);
  });
});
