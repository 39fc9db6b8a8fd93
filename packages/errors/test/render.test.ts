import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import { Problem, renderErrors } from '../src/index.ts';

async function serve(handler: Koa.Middleware) {
  const app = new Koa();
  const seen: unknown[] = [];
  app.use(async (ctx, next) => { ctx.state.requestId = 'req-123'; await next(); });
  app.use(renderErrors({ realm: 'test', onError: (err) => seen.push(err) }));
  app.use(handler);
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); } };
}

test('an unexpected error is a bare 500 that says nothing of its cause', async () => {
  const s = await serve(() => { throw new Error('relation "clients" does not exist at /app/src/x.ts:12'); });
  const res = await fetch(s.url);
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const text = await res.text();
  assert.ok(!/relation|clients|x\.ts/.test(text), text);
  assert.deepEqual(JSON.parse(text), {
    type: 'https://docs.passerelle.dev/errors#internal_error', title: 'An unexpected error occurred; it has been logged.',
    status: 500, code: 'internal_error', request_id: 'req-123',
  });
  assert.equal(s.seen.length, 1);
  await s.close();
});

test('a Problem renders its status, code, detail and challenge', async () => {
  const s = await serve(() => {
    throw new Problem('insufficient_scope', { detail: 'needs x', challenge: { error: 'insufficient_scope', scope: 'x' } });
  });
  const res = await fetch(s.url);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="test", error="insufficient_scope", scope="x"');
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body['code'], 'insufficient_scope');
  assert.equal(body['detail'], 'needs x');
  await s.close();
});

test('a challenge parameter cannot break out of its quotes', async () => {
  const s = await serve(() => { throw new Problem('invalid_token', { challenge: { error_description: 'a" , error="x\\' } }); });
  const res = await fetch(s.url);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="test", error_description="a , error=x"');
  await s.close();
});

test('an unknown route is a problem+json 404', async () => {
  const s = await serve(async () => {});
  const res = await fetch(`${s.url}/nowhere`);
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { code: string }).code, 'not_found');
  await s.close();
});
