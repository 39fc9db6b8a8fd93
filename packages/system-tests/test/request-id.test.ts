// One request id ties together what a partner sees (X-Request-Id, the problem's
// request_id), the log lines about the request, and the audit event it caused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { adminCaller, startStack, type Stack } from '../src/index.ts';

let stack: Stack;
before(async () => { stack = await startStack(); });
after(() => stack.close());

test('an offered X-Request-Id is echoed, logged and written into the audit event of a refused request', async () => {
  const requestId = `trace-${randomBytes(8).toString('hex')}`;
  const res = await fetch(`${stack.apiUrl}/v1/partners/me`, { headers: { authorization: 'Bearer not.a.token', 'x-request-id': requestId } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('x-request-id'), requestId);
  assert.equal(((await res.json()) as { request_id: string }).request_id, requestId);
  assert.ok(stack.logs.some((l) => l['requestId'] === requestId && l['msg'] === 'request'));
  assert.ok(stack.logs.some((l) => l['requestId'] === requestId && l['event'] === 'auth.refused' && l['level'] === 'warn'));

  let row;
  for (let i = 0; i < 100 && !row; i++) {
    row = await stack.db.prisma.auditEvent.findFirst({ where: { requestId } });
    if (!row) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(row, 'the security event carries the request id');
  assert.equal(row.action, 'auth.refused');
});

test('an id that does not look like one is replaced by a generated one', async () => {
  const res = await fetch(`${stack.apiUrl}/v1/partners/me`, { headers: { 'x-request-id': 'has spaces\tand "quotes"' } });
  const echoed = res.headers.get('x-request-id') ?? '';
  assert.match(echoed, /^[0-9a-f-]{36}$/);
  assert.equal(((await res.json()) as { request_id: string }).request_id, echoed);
});

test('the auth service does the same: an admin change carries the offered id into its response, log line and audit event', async () => {
  const admin = await adminCaller(stack);
  const requestId = `trace-${randomBytes(8).toString('hex')}`;
  const slug = `rid-${randomBytes(4).toString('hex')}`;
  const res = await fetch(`${stack.authUrl}/admin/v1/partners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ slug, name: 'Request id' }),
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-request-id'), requestId);
  assert.ok(stack.logs.some((l) => l['requestId'] === requestId && l['msg'] === 'request' && l['path'] === '/admin/v1/partners'));
  const row = await stack.db.prisma.auditEvent.findFirst({ where: { requestId } });
  assert.equal(row?.action, 'partner.create');
});
