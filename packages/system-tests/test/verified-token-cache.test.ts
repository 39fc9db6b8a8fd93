// The API remembers verified tokens to skip the signature check; that must
// never let a revoked token through. Revocation is checked on every request
// after the cache, against the process's live mirror.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { basic, callApi, getToken, registerClient, startStack, type Stack } from '../src/index.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

test('a token served from the verified-token cache is refused once revoked, (propagation time is measured by pnpm bench, not asserted)', async () => {
  const client = await registerClient(stack, ['partner:read']);
  const token = await getToken(stack, client, 'partner:read');
  for (let i = 0; i < 3; i += 1) assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);

  const revoked = await fetch(`${stack.authUrl}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  assert.equal(revoked.status, 200);

  const deadline = Date.now() + 5_000;
  let res = await callApi(stack, '/v1/partners/me', token);
  while (res.status === 200 && Date.now() < deadline) {
    await sleep(20);
    res = await callApi(stack, '/v1/partners/me', token);
  }
  assert.equal(res.status, 401, 'refused once the revocation reaches the API');
  assert.match(res.headers.get('www-authenticate') ?? '', /revoked/);
  assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 401, 'and from then on');
});
