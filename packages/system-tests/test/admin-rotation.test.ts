// The secret-rotation grace timeline, with the auth service's clock in the
// test's hands: the old secret works until the grace ends, stops at that
// instant without anyone acting, and the end of the grace revokes every token
// issued before it (written by the auth service's own sweep, audited as the system).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminCaller, callApi, getToken, registerClient, startStack, tokenRequest, type AdminCaller, type Stack } from '../src/index.ts';

let stack: Stack;
let admin: AdminCaller;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

before(async () => {
  stack = await startStack({ now });
  admin = await adminCaller(stack);
});
after(() => stack.close());

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const status = async (res: Promise<Response>) => (await res).status;

test('the old secret works through the grace, stops at its end on its own, and its tokens are revoked', async () => {
  const partner = await registerClient(stack, ['partner:read']);
  const old = { clientId: partner.clientId, clientSecret: partner.clientSecret };
  const tokenBefore = await getToken(stack, partner, 'partner:read');

  const rotated = await admin.call('POST', `/clients/${partner.clientId}/rotate-secret`, { graceSeconds: 3600 });
  assert.equal(rotated.status, 200, rotated.text);
  const fresh = { clientId: partner.clientId, clientSecret: rotated.body.consumerSecret as string };
  const graceEnd = Date.parse(rotated.body.graceEndsAt);
  assert.equal(graceEnd - now() <= 3_600_000 && graceEnd - now() > 3_590_000, true);

  // a minute before the end: both secrets work, tokens of the old one too
  offsetMs += graceEnd - now() - 60_000;
  assert.equal(await status(tokenRequest(stack, old, { scope: 'partner:read' })), 200);
  assert.equal(await status(tokenRequest(stack, fresh, { scope: 'partner:read' })), 200);
  const tokenDuringGrace = await getToken(stack, partner, 'partner:read');
  await new Promise((r) => setTimeout(r, 1200)); // a sweep or two run, and must leave the grace alone
  assert.equal(await status(callApi(stack, '/v1/partners/me', tokenDuringGrace)), 200);
  assert.equal((await admin.call('GET', `/clients/${partner.clientId}`)).body.secretGraceEndsAt, rotated.body.graceEndsAt);

  // the end: nobody calls anything, yet the old secret is refused and tokens issued so far die
  offsetMs += graceEnd - now();
  assert.equal(await status(tokenRequest(stack, old, { scope: 'partner:read' })), 401);
  for (const token of [tokenBefore, tokenDuringGrace]) {
    assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', token)).status === 401, 5000), 'revoked at the end of the grace');
  }
  assert.equal((await admin.call('GET', `/clients/${partner.clientId}`)).body.secretGraceEndsAt, null);

  // the new secret keeps working (from the second after the revocation)
  await new Promise((r) => setTimeout(r, 1100));
  const after = await getToken(stack, fresh, 'partner:read');
  assert.equal(await status(callApi(stack, '/v1/partners/me', after)), 200);
  assert.equal(await status(tokenRequest(stack, old, { scope: 'partner:read' })), 401);

  const trail = await admin.call('GET', `/audit-events?client=${partner.clientId}&action=client.secret.*`);
  const events = trail.body.items.map((e: { action: string; actorType: string; diff: unknown }) => [e.action, e.actorType, e.diff]);
  assert.deepEqual(events[0], ['client.secret.grace_end', 'system', { before: { graceEndsAt: rotated.body.graceEndsAt }, after: { graceEndsAt: null, reason: 'expired' } }]);
  assert.equal(events[1][0], 'client.secret.rotate');
});

test('sweeps racing each other end a grace exactly once', async () => {
  const partner = await registerClient(stack, ['partner:read']);
  await stack.registry.rotateSecret({ type: 'system', id: 'test' }, partner.clientId, { graceSeconds: 60 });
  offsetMs += 61_000;
  const results = await Promise.all([stack.registry.endExpiredGraces(), stack.registry.endExpiredGraces(), stack.registry.endExpiredGraces()]);
  const endedHere = results.flat().filter((id) => id === partner.clientId).length;
  const events = await stack.db.prisma.auditEvent.count({ where: { targetId: partner.clientId, action: 'client.secret.grace_end' } });
  // the auth service's own sweep may have won the race too; either way, once
  assert.ok(endedHere <= 1);
  assert.equal(events, 1);
});

test('the grace defaults to the configured 24 hours', async () => {
  const partner = await registerClient(stack, ['partner:read']);
  const rotated = await admin.call('POST', `/clients/${partner.clientId}/rotate-secret`);
  assert.equal(rotated.status, 200, rotated.text);
  const grace = Date.parse(rotated.body.graceEndsAt) - now();
  assert.ok(grace > 86_390_000 && grace <= 86_400_000, `grace ${grace}`);
});
