// `pnpm admin users`: an operator creates, finds, disables and enables end
// users and resets their passwords, against a running stack (real auth service
// and API over the same database and store), with no server call from the CLI.
// Disabling and resetting must end what the user holds: the API refuses their
// access tokens, their refresh tokens are spent, their sessions end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspaceRoot } from '@passerelle/config';
import { isProblem } from '@passerelle/errors';
import {
  asksForPassword, callApi, createUser, refresh, refusedByApi, registerApp, signedIn, startStack,
  type Stack, type TestApp,
} from '@passerelle/system-tests';
import { createContext, type CommandContext } from '../src/context.ts';
import { parseFlags } from '../src/flags.ts';
import { runCommand } from '../src/run.ts';

let stack: Stack;
let app: TestApp;
let ctx: CommandContext;
let output: string[] = [];
/** What the next password prompt answers. */
let typed = '';
const me = `os:${userInfo().username}`;

before(async () => {
  stack = await startStack();
  app = await registerApp(stack, ['profile', 'partner:read']);
  // The stack's own database and store, as a CLI on the same machine would open them.
  ctx = createContext({ db: stack.db, store: stack.store, json: true, out: (line) => output.push(line), readPassword: async () => typed });
});
// Not ctx.close(): the stack owns the connections.
after(() => stack.close());

async function admin(...args: string[]): Promise<any> {
  output = [];
  const { command: [noun, action], flags } = parseFlags(args);
  await runCommand(ctx, noun, action, flags);
  return JSON.parse(output[0]!);
}

async function refused(code: string, ...args: string[]): Promise<void> {
  await assert.rejects(admin(...args), (err) => isProblem(err) && err.code === code, `${args.join(' ')} → ${code}`);
}

let counter = 0;
const uniqueEmail = () => `cli-user-${process.pid}-${++counter}@example.test`;
const partnerSlug = async () => (await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: app.partnerId } })).slug;

const signIn = (email: string, password: string) => ctx.accounts().signIn({ ip: '192.0.2.10' }, email, password);

describe('creating users', () => {
  test('create reads the password from the prompt, stores only an Argon2id hash, and audits as the OS user', async () => {
    const email = uniqueEmail();
    typed = 'a long enough passphrase';
    const user = await admin('users', 'create', '--email', email.toUpperCase(), '--name', 'Ada', '--partner', await partnerSlug());
    assert.equal(user.email, email);
    assert.equal(user.partnerId, app.partnerId);
    assert.equal('passwordHash' in user, false);
    const row = await stack.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.match(row.passwordHash, /^\$argon2id\$/);
    assert.equal((await signIn(email, typed)).ok, true);
    const audit = await stack.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: user.id } });
    assert.equal(audit.actorId, me);
    assert.doesNotMatch(JSON.stringify(audit), /argon2|passphrase/);

    await refused('conflict', 'users', 'create', '--email', email, '--name', 'Again');
    await refused('not_found', 'users', 'create', '--email', uniqueEmail(), '--name', 'X', '--partner', 'no-such-partner');
    await refused('validation_failed', 'users', 'create', '--email', 'not an email', '--name', 'X');
    typed = 'short';
    await refused('validation_failed', 'users', 'create', '--email', uniqueEmail(), '--name', 'X');
  });

  test('the real entry point takes the password on standard input and never prints it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-cli-users-'));
    try {
      const shared = stack.env['DATABASE_URL'] ? {} : { DATABASE_URL: '', REDIS_URL: '' };
      const env = { ...process.env, ...stack.env, ...shared, PASSERELLE_DATA_DIR: dataDir, NODE_ENV: 'test' };
      const cli = (input: string, ...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], { cwd: workspaceRoot(), env, input, encoding: 'utf8' });
      const email = uniqueEmail();
      const created = cli('the first passphrase\n', 'users', 'create', '--email', email, '--name', 'Piped');
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, /^User .+ created \(id [0-9a-f-]{36}\)\.$/m);
      const reset = cli('the second passphrase\n', 'users', 'reset-password', email);
      assert.equal(reset.status, 0, reset.stderr);
      assert.match(reset.stdout, /^Password of .+ reset; every session, grant and token of the user has ended/m);
      for (const run of [created, reset]) assert.doesNotMatch(run.stdout + run.stderr, /passphrase/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('finding users', () => {
  test('show by email in any case or by id; list by partner and status, in pages; refusals have their codes', async () => {
    const member = await createUser(stack, app.partnerId);
    const shown = await admin('users', 'show', member.email.toUpperCase());
    assert.equal(shown.id, member.id);
    assert.equal('passwordHash' in shown, false);
    assert.equal((await admin('users', 'show', member.id)).email, member.email);

    const others = [await createUser(stack, app.partnerId), await createUser(stack, app.partnerId)];
    await admin('users', 'disable', others[0]!.email);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin('users', 'list', '--partner', await partnerSlug(), '--limit', '1', ...(cursor ? ['--cursor', cursor] : []));
      assert.ok(page.items.length <= 1);
      ids.push(...page.items.map((u: { id: string }) => u.id));
      assert.ok(!JSON.stringify(page).includes('argon2'));
      cursor = page.nextCursor;
    } while (cursor);
    for (const user of [member, ...others]) assert.ok(ids.includes(user.id));
    const disabled = await admin('users', 'list', '--partner', await partnerSlug(), '--status', 'disabled');
    assert.deepEqual(disabled.items.map((u: { id: string }) => u.id), [others[0]!.id]);

    await refused('not_found', 'users', 'show', uniqueEmail());
    await refused('not_found', 'users', 'disable', '00000000-0000-4000-8000-000000000000');
    await refused('validation_failed', 'users', 'show', 'neither an email nor an id');
    await refused('not_found', 'users', 'list', '--partner', 'no-such-partner');
    await refused('validation_failed', 'users', 'list', '--status', 'locked');
  });
});

describe('ending what a user holds', () => {
  test('disable: the API refuses their tokens, the refresh token is spent, the session ends, sign-in is refused; enable lets them back', async () => {
    const user = await createUser(stack, app.partnerId);
    const held = await signedIn(stack, app, user);
    const disabled = await admin('users', 'disable', user.email);
    assert.equal(disabled.status, 'disabled');
    assert.ok(await refusedByApi(stack, '/v1/partners/me', held.access), 'the API still accepts the disabled user\'s access token');
    assert.equal((await refresh(stack, app, held.refreshToken)).body['error'], 'invalid_grant');
    assert.equal(await asksForPassword(stack, app, held.ua), true, 'the session survived');
    assert.deepEqual(await signIn(user.email, user.password), { ok: false, reason: 'invalid_credentials' });

    assert.equal((await admin('users', 'enable', user.email)).status, 'active');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the revoked second
    const again = await signedIn(stack, app, user);
    assert.equal((await callApi(stack, '/v1/me', again.access)).status, 200);
  });

  test('reset-password: every token and session ends, the old password stops, the new one works at once even after a lock', async () => {
    const user = await createUser(stack, app.partnerId);
    const held = await signedIn(stack, app, user);
    for (let i = 0; i < 5; i += 1) await signIn(user.email, `wrong guess ${i}`);
    assert.equal((await signIn(user.email, user.password)).ok, false, 'the account is locked');

    typed = 'an operator-issued passphrase';
    const before = await stack.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const reset = await admin('users', 'reset-password', user.email);
    assert.equal(reset.id, user.id);
    assert.ok(await refusedByApi(stack, '/v1/partners/me', held.access));
    assert.equal((await refresh(stack, app, held.refreshToken)).body['error'], 'invalid_grant');
    assert.equal(await asksForPassword(stack, app, held.ua), true, 'the session survived');
    const row = await stack.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.notEqual(row.passwordHash, before.passwordHash);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the revoked second
    assert.equal((await signIn(user.email, user.password)).ok, false, 'the old password still works');
    const again = await signedIn(stack, app, { ...user, password: typed });
    assert.equal((await callApi(stack, '/v1/me', again.access)).status, 200);

    typed = 'short';
    await refused('validation_failed', 'users', 'reset-password', user.email);
    assert.equal((await stack.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, row.passwordHash);
    typed = 'a long enough passphrase';
    await refused('not_found', 'users', 'reset-password', uniqueEmail());
  });

  test('each change is audited as the OS user, with no password or hash in the trail', async () => {
    const user = await createUser(stack, app.partnerId);
    await admin('users', 'disable', user.email);
    await admin('users', 'enable', user.email);
    typed = 'yet another long passphrase';
    await admin('users', 'reset-password', user.id);
    const trail = await stack.db.prisma.auditEvent.findMany({ where: { targetId: user.id, actorId: me }, orderBy: { at: 'asc' } });
    assert.deepEqual(trail.map((e) => [e.action, e.outcome]), [['user.disable', 'success'], ['user.enable', 'success'], ['user.password_reset', 'success']]);
    assert.deepEqual(trail[0]!.diff, { before: { status: 'active' }, after: { status: 'disabled' } });
    assert.doesNotMatch(JSON.stringify(trail), /argon2|passphrase|passwordHash/);
  });
});
