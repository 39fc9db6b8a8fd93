// The sign-in forms' CSRF tokens: bound to this browser's cookie and to what the form acts on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import { createCsrf } from '../src/csrf.ts';

function context(cookie?: string) {
  const app = new Koa();
  const req = { headers: cookie ? { cookie } : {}, socket: {} } as never;
  const headers = new Map<string, unknown>();
  const res = { getHeader: (k: string) => headers.get(k.toLowerCase()), setHeader: (k: string, v: unknown) => headers.set(k.toLowerCase(), v), headersSent: false } as never;
  return Object.assign(app.createContext(req, res), { setCookieHeader: () => String(headers.get('set-cookie')) });
}

test('a token verifies for its browser and binding only', () => {
  const csrf = createCsrf('k'.repeat(32), false);
  const first = context();
  const token = csrf.issue(first, 'uid-1');
  const setCookie = first.setCookieHeader();
  assert.match(setCookie, /passerelle\.csrf=[\w-]{43}; path=\/; samesite=strict; httponly/);
  const browser = context(setCookie.split(';')[0]);
  assert.equal(csrf.verify(browser, 'uid-1', token), true);
  assert.equal(csrf.verify(browser, 'uid-2', token), false);
  assert.equal(csrf.verify(context(), 'uid-1', token), false);
  assert.equal(csrf.verify(context('passerelle.csrf=' + 'x'.repeat(43)), 'uid-1', token), false);
  assert.equal(csrf.verify(browser, 'uid-1', undefined), false);
  assert.equal(createCsrf('other-key'.repeat(4), false).verify(browser, 'uid-1', token), false);
});
