// The logger itself removes credentials, wherever a careless call puts them.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { CENSOR, createLogger, scrubString } from '../src/index.ts';

function capture() {
  let text = '';
  const destination = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { log: createLogger({ name: 't', level: 'trace', destination }), text: () => text };
}

const jwt = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJja194In0.c2lnbmF0dXJlLXZhbHVl';
const secret = 'cs_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg';
const apiKey = 'psk_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';

test('credentials are removed by field name at any depth, in objects, arrays and errors', () => {
  const { log, text } = capture();
  log.info({
    req: { headers: { authorization: 'Basic Y2s6Y3M=', cookie: 'session=cookie-value-1', 'x-signature': 'sig-value-1', 'set-cookie': ['a=cookie-value-2'] } },
    body: { client_secret: 'body-secret-1', password: 'pw-value-1', code_verifier: 'verifier-value-1', nested: [{ refresh_token: 'rt-value-1', apiKey: 'key-value-1' }] },
    signingKeyEncryptionKey: 'kek-value-1',
    cookieKeys: ['cookie-key-1'],
  }, 'request received');
  const out = text();
  for (const leaked of ['Y2s6Y3M=', 'cookie-value-1', 'cookie-value-2', 'sig-value-1', 'body-secret-1', 'pw-value-1', 'verifier-value-1', 'rt-value-1', 'key-value-1', 'kek-value-1', 'cookie-key-1']) {
    assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
  }
  assert.match(out, /"authorization":"\[redacted\]"/);
  assert.match(out, /"msg":"request received"/);
});

test('credentials are removed by shape inside any string: messages, URLs, query strings, error messages and stacks', () => {
  const { log, text } = capture();
  log.info({ url: `/callback?state=ok&code=auth-code-1&client_secret=${secret}`, form: `grant_type=client_credentials&client_assertion=${jwt}` }, `sent Bearer ${jwt}`);
  log.error(new Error('connect failed: redis://:hunter2-value@redis:6379'), 'redis error');
  log.warn({ err: new Error(`token ${jwt} refused`, { cause: new Error(`password=pw-value-2`) }) }, 'nested');
  log.info('user said %s', `Authorization: Basic ${Buffer.from(`ck_a:${secret}`).toString('base64')}`);
  log.warn(`pasted key ${apiKey} in a message`);
  const out = text();
  for (const leaked of ['auth-code-1', secret, apiKey, jwt, 'hunter2-value', 'pw-value-2', Buffer.from(`ck_a:${secret}`).toString('base64')]) {
    assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
  }
  assert.match(out, /state=ok/, 'what is not a credential stays readable');
  assert.match(out, /"type":"Error"/);
});

test('an API key or consumer-secret is removed wherever it sits, even in a string with nothing else to give it away', () => {
  const { log, text } = capture();
  const key = `psk_${'A'.repeat(43)}`;
  const consumerSecret = `cs_${'B'.repeat(43)}`;
  log.info({ method: 'GET', url: `/v1/orders/${key}`, path: `/v1/clients/${consumerSecret}` }, 'request completed');
  log.warn(`unknown id ${key}`);
  assert.equal(scrubString(`GET /v1/orders/${key}`), `GET /v1/orders/${CENSOR}`);
  const out = text();
  for (const leaked of [key, consumerSecret]) assert.ok(!out.includes(leaked), `${leaked.slice(0, 4)} leaked: ${out}`);
});

test('a child logger\'s bindings are scrubbed too, and the logged object is not modified', () => {
  const { log, text } = capture();
  const headers = { authorization: `Bearer ${jwt}` };
  log.child({ token: 'child-token-1' }).info({ headers }, 'x');
  assert.ok(!text().includes('child-token-1'));
  assert.equal(headers.authorization, `Bearer ${jwt}`);
});

test('a line with nothing to remove is written as it was given; an object that is not plain is still scrubbed', () => {
  const { log, text } = capture();
  log.info({ requestId: 'r-1', method: 'GET', path: '/v1/orders', status: 200, ip: '127.0.0.1' }, 'request');
  log.info({ target: new URL(`https://ck_a:${secret}@example.com/cb?code=auth-code-3`) }, 'redirect');
  const [plain, url] = text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual([plain!['requestId'], plain!['method'], plain!['path'], plain!['status'], plain!['ip']], ['r-1', 'GET', '/v1/orders', 200, '127.0.0.1']);
  assert.ok(!JSON.stringify(url).includes(secret) && !JSON.stringify(url).includes('auth-code-3'), JSON.stringify(url));
});
