import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import Koa from 'koa';
import { z } from 'zod';
import { renderErrors } from '@passerelle/errors';
import { parseJson, readBody, type BodyState } from '../src/index.ts';

const order = z.strictObject({ reference: z.string().max(20), items: z.array(z.strictObject({ sku: z.string() })).max(3).optional() });

async function serve() {
  const app = new Koa<BodyState>();
  app.use(renderErrors({ realm: 'test' }));
  app.use(readBody({ limitBytes: 1024 }));
  app.use((ctx) => {
    const raw = ctx.state.rawBody;
    ctx.body = ctx.method === 'POST'
      ? { value: parseJson(ctx, order), raw: raw?.toString('base64') }
      : { raw: raw === undefined ? null : raw.toString('base64') };
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, port, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); } };
}

const s = await serve();
test.after(() => s.close());

function post(body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(s.url, { method: 'POST', headers, body });
}

test('keeps the exact bytes of a JSON body and parses them against the schema', async () => {
  const text = '{ "reference" :"A-1",\n"items":[{"sku":"x"}] }';
  const res = await post(text);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { value: unknown; raw: string };
  assert.deepEqual(body.value, { reference: 'A-1', items: [{ sku: 'x' }] });
  assert.equal(Buffer.from(body.raw, 'base64').toString(), text);
});

test('a request without a body passes through with no rawBody', async () => {
  const res = await fetch(s.url);
  assert.deepEqual(await res.json(), { raw: null });
});

test('refuses a body that is not application/json with 415', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/jsonx']) {
    const res = await post('{"reference":"a"}', { 'content-type': type });
    assert.equal(res.status, 415, type);
    assert.equal(((await res.json()) as { code: string }).code, 'unsupported_media_type');
  }
  const gz = await post('{"reference":"a"}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(gz.status, 415);
  await gz.body?.cancel();
});

test('refuses a body over the limit with 413, whether declared or streamed', async () => {
  const big = JSON.stringify({ reference: 'x'.repeat(5000) });
  const declared = await post(big);
  assert.equal(declared.status, 413);
  assert.equal(((await declared.json()) as { code: string }).code, 'payload_too_large');

  const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port: s.port, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (let i = 0; i < 10; i += 1) req.write('x'.repeat(500));
    req.end();
  });
  assert.equal(streamed.status, 413);
  assert.equal((JSON.parse(streamed.body) as { code: string }).code, 'payload_too_large');
});

test('bad JSON, bad UTF-8 and a missing body are 400 invalid_request without library text', async () => {
  for (const body of ['{"reference":', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'NaN']) {
    const res = await post(body);
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.equal((JSON.parse(text) as { code: string }).code, 'invalid_request');
    assert.doesNotMatch(text, /Unexpected|SyntaxError|position|at /);
  }
  const empty = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.status, 400);
  await empty.body?.cancel();
});

test('refuses JSON nested deeper than the limit before parsing it', async () => {
  const deep = `{"reference":"a","items":${'['.repeat(100)}${']'.repeat(100)}}`;
  const res = await post(deep);
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { detail: string }).detail, /nests too deeply/);
  // brackets inside strings do not count
  const inString = await post(JSON.stringify({ reference: '[[[[[[[[[[' }));
  assert.equal(inString.status, 200);
  await inString.body?.cancel();
});

test('unknown and invalid fields are 400 validation_failed with paths, never the values', async () => {
  const res = await post(JSON.stringify({ reference: '<script>alert(1)</script>'.repeat(2), items: [{ sku: 'a', price: 1 }], admin: true }));
  assert.equal(res.status, 400);
  const text = await res.text();
  const body = JSON.parse(text) as { code: string; errors: { path: string; message: string }[] };
  assert.equal(body.code, 'validation_failed');
  assert.deepEqual(body.errors.map((e) => e.path).sort(), ['admin', 'items.0.price', 'reference']);
  assert.doesNotMatch(text, /script/);
});
