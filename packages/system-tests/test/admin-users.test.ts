// End users through the admin HTTP API (the twin of `pnpm admin users`):
// create, list, show, disable, enable and reset a password, with the same
// validation codes, the admin client as the audit actor, and what matters
// most: disabling or resetting ends the tokens and sessions the user holds.
// No answer ever carries a password or a hash.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  adminCaller, asksForPassword, getToken, refresh, refusedByApi, registerApp, registerClient, signedIn, startStack,
  type AdminCaller, type Stack, type TestApp, type TestUser,
} from '../src/index.ts';

let stack: Stack;
let admin: AdminCaller;
let app: TestApp;
let partner: string;
const answers: string[] = [];

before(async () => {
  stack = await startStack();
  admin = await adminCaller(stack, (answer) => answers.push(answer.text));
  app = await registerApp(stack, ['profile', 'partner:read']);
  partner = (await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: app.partnerId } })).slug;
});
after(() => stack.close());

let counter = 0;
const uniqueEmail = () => `admin-user-${process.pid}-${++counter}@example.test`;
/** Passwords this file set, to look for in every answer. */
const passwords: string[] = [];
const newPassword = () => {
  const password = `passphrase ${process.pid} ${++counter} ${Math.random().toString(36).slice(2)}`;
  passwords.push(password);
  return password;
};

async function newUser(): Promise<TestUser> {
  const email = uniqueEmail();
  const password = newPassword();
  const res = await admin.call('POST', '/users', { email, name: 'Via HTTP', password, partner });
  assert.equal(res.status, 201, res.text);
  return { id: res.body.id, email, password };
}

describe('managing users', () => {
  test('a partner token cannot touch users', async () => {
    const client = await registerClient(stack, ['partner:read']);
    const token = await getToken(stack, client, 'partner:read');
    for (const [method, path] of [['GET', '/users'], ['POST', '/users'], ['POST', '/users/someone@example.test/disable']] as const) {
      const res = await admin.call(method, path, method === 'POST' ? {} : undefined, token);
      assert.equal(res.status, 403, `${method} ${path}`);
    }
  });

  test('create, show by email or id, list by partner and status; each refusal has its code', async () => {
    const user = await newUser();
    const shown = await admin.call('GET', `/users/${encodeURIComponent(user.email.toUpperCase())}`);
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.id, user.id);
    assert.equal(shown.body.partnerId, app.partnerId);
    assert.equal((await admin.call('GET', `/users/${user.id}`)).body.email, user.email);
    const listed = await admin.call('GET', `/users?partner=${partner}&status=active&limit=200`);
    assert.ok(listed.body.items.some((u: { id: string }) => u.id === user.id));

    const cases: [string, Record<string, unknown>, number, string][] = [
      ['duplicate email', { email: user.email.toUpperCase(), name: 'x', password: newPassword() }, 409, 'conflict'],
      ['short password', { email: uniqueEmail(), name: 'x', password: 'short' }, 400, 'validation_failed'],
      ['bad email', { email: 'nobody', name: 'x', password: newPassword() }, 400, 'validation_failed'],
      ['unknown field', { email: uniqueEmail(), name: 'x', password: newPassword(), admin: true }, 400, 'unknown_field'],
      ['unknown partner', { email: uniqueEmail(), name: 'x', password: newPassword(), partner: 'no-such-partner' }, 404, 'not_found'],
    ];
    for (const [label, body, status, code] of cases) {
      const res = await admin.call('POST', '/users', body);
      assert.equal(res.status, status, label);
      assert.equal(res.body.code, code, label);
    }
    assert.equal((await admin.call('GET', `/users/${uniqueEmail()}`)).status, 404);
    assert.equal((await admin.call('GET', '/users/neither-an-email-nor-an-id')).body.code, 'validation_failed');
    assert.equal((await admin.call('GET', '/users?owner=me')).body.code, 'unknown_field');
    assert.equal((await admin.call('POST', `/users/${user.id}/reset-password`, { password: newPassword(), notify: true })).body.code, 'unknown_field');
  });

  test('disable ends every token and session of the user; enable lets them back', async () => {
    const user = await newUser();
    const held = await signedIn(stack, app, user);
    const disabled = await admin.call('POST', `/users/${user.id}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(disabled.body.status, 'disabled');
    assert.ok(await refusedByApi(stack, '/v1/partners/me', held.access), 'the API still accepts the disabled user\'s access token');
    assert.equal((await refresh(stack, app, held.refreshToken)).body['error'], 'invalid_grant');
    assert.equal(await asksForPassword(stack, app, held.ua), true, 'the session survived');

    assert.equal((await admin.call('POST', `/users/${user.id}/enable`)).body.status, 'active');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the revoked second
    await signedIn(stack, app, user);
  });

  test('reset-password ends every token and session; only the new password signs in', async () => {
    const user = await newUser();
    const held = await signedIn(stack, app, user);
    const password = newPassword();
    const reset = await admin.call('POST', `/users/${encodeURIComponent(user.email)}/reset-password`, { password });
    assert.equal(reset.status, 200, reset.text);
    assert.ok(await refusedByApi(stack, '/v1/partners/me', held.access));
    assert.equal((await refresh(stack, app, held.refreshToken)).body['error'], 'invalid_grant');
    assert.equal(await asksForPassword(stack, app, held.ua), true, 'the session survived');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the revoked second
    await assert.rejects(signedIn(stack, app, user), 'the old password still signs in');
    await signedIn(stack, app, { ...user, password });
  });

  test('each change is audited with the admin client as actor, and no answer or audit row holds a password or a hash', async () => {
    const user = await newUser();
    await admin.call('POST', `/users/${user.id}/disable`);
    await admin.call('POST', `/users/${user.id}/enable`);
    await admin.call('POST', `/users/${user.id}/reset-password`, { password: newPassword() });
    const trail = await admin.call('GET', `/audit-events?action=user.*&actor=${admin.client.clientId}&limit=200`);
    const mine = trail.body.items.filter((e: { targetId: string }) => e.targetId === user.id);
    assert.deepEqual(mine.map((e: { action: string }) => e.action).reverse(), ['user.create', 'user.disable', 'user.enable', 'user.password_reset']);
    for (const event of mine) assert.equal(event.credential, 'bearer');

    const rows = JSON.stringify(await stack.db.prisma.auditEvent.findMany({ where: { targetType: 'user' } }));
    const logs = JSON.stringify(stack.logs);
    for (const text of [...answers, rows, logs]) {
      assert.doesNotMatch(text, /argon2|passwordHash/);
      for (const password of passwords) assert.ok(!text.includes(password), 'a password leaked');
    }
  });
});
