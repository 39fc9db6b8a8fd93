// The end-user flow in a real browser: Debian's headless Chromium driven by
// playwright-core against the real services. A partner's app (a tiny callback
// server) sends the user to sign in and consent, redeems the code, calls the
// API; then refresh, logout and password change must end the tokens. Each page
// is saved under test-artifacts/ and must raise no CSP violation.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  authorizationUrl, callApi, createUser, pkcePair, redeemCode, refresh, refusedByApi, registerApp, startStack,
  type Stack, type TestApp, type TestUser,
} from '../src/index.ts';

const artifacts = new URL('../../../test-artifacts/', import.meta.url);
const navigation = { timeout: 60_000 };

let stack: Stack;
let app: TestApp;
let callbackServer: Server;
let browser: Browser;
const cspViolations: string[] = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  callbackServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Partner app</title><p>back at the app</p>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const { port } = callbackServer.address() as AddressInfo;
  stack = await startStack();
  app = await registerApp(stack, ['profile', 'partner:read', 'orders:read'], `http://127.0.0.1:${port}/callback`);
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 120_000,
  });
});
after(async () => {
  await browser?.close();
  callbackServer?.closeAllConnections();
  await new Promise((resolve) => callbackServer?.close(resolve));
  await stack?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, artifacts).pathname, fullPage: true });
}

/** Walks login and consent in the browser; returns the code and verifier the app would hold. */
async function signInThroughBrowser(page: Page, user: TestUser, scope: string, shots = false) {
  const { verifier, challenge } = pkcePair();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  await page.goto(authorizationUrl(stack, app, { challenge, scope, state }), navigation);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if (shots) await screenshot(page, 'login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
  if (shots) await screenshot(page, 'consent');
  const consentText = await page.locator('main').innerText();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((url) => url.pathname === '/callback', navigation);
  const callback = new URL(page.url());
  assert.equal(callback.searchParams.get('state'), state);
  assert.equal(callback.searchParams.get('iss'), stack.authUrl);
  const code = callback.searchParams.get('code');
  assert.ok(code);
  return { code, verifier, consentText };
}

describe('in a real browser', () => {
  let user: TestUser;
  before(async () => {
    user = await createUser(stack, app.partnerId);
  });

  test('login → consent → code → token → /v1/me, then refresh', async () => {
    const page = await newPage();
    const { code, verifier, consentText } = await signInThroughBrowser(page, user, 'openid profile partner:read', true);
    assert.match(consentText, /test client/);
    assert.match(consentText, /See your name and email address/);
    assert.match(consentText, /Read your organization’s profile/);
    assert.match(consentText, new RegExp(user.email.replace(/[.+]/g, '\\$&')));

    const tokens = await redeemCode(stack, app, code, verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const me = await callApi(stack, '/v1/me', tokens.body['access_token']!);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { id: string }).id, user.id);

    const refreshed = await refresh(stack, app, tokens.body['refresh_token']!);
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body['refresh_token'], tokens.body['refresh_token']);
    assert.equal((await callApi(stack, '/v1/me', refreshed.body['access_token']!)).status, 200);
    await page.context().close();
  });

  test('a wrong password shows one generic message', async () => {
    const page = await newPage();
    const { challenge } = pkcePair();
    await page.goto(authorizationUrl(stack, app, { challenge }), navigation);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('certainly not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').innerText(), 'The email or password is incorrect.');
    await screenshot(page, 'login-error');
    await page.context().close();
  });

  test('logout ends the session and the API refuses the old access token', async () => {
    const page = await newPage();
    const { code, verifier } = await signInThroughBrowser(page, user, 'openid profile');
    const tokens = await redeemCode(stack, app, code, verifier);
    assert.equal((await callApi(stack, '/v1/me', tokens.body['access_token']!)).status, 200);

    const logout = new URL('/session/end', stack.authUrl);
    logout.searchParams.set('client_id', app.clientId);
    await page.goto(logout.href, navigation);
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await screenshot(page, 'logout');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await screenshot(page, 'signed-out');

    assert.ok(await refusedByApi(stack, '/v1/me', tokens.body['access_token']!), 'the API still accepts the access token after logout');
    assert.equal((await refresh(stack, app, tokens.body['refresh_token']!)).body['error'], 'invalid_grant');
    // the session is gone: a new authorization asks for the password again
    const { challenge } = pkcePair();
    await page.goto(authorizationUrl(stack, app, { challenge }), navigation);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });

  test('a password change refuses every token the user held', async () => {
    const changer = await createUser(stack, app.partnerId);
    const page = await newPage();
    const first = await signInThroughBrowser(page, changer, 'openid profile');
    const tokens = await redeemCode(stack, app, first.code, first.verifier);
    const other = await newPage();
    const second = await signInThroughBrowser(other, changer, 'openid profile');
    const moreTokens = await redeemCode(stack, app, second.code, second.verifier);

    await page.goto(`${stack.authUrl}/account/password`, navigation);
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await screenshot(page, 'password');
    await page.getByLabel('Email').fill(changer.email);
    await page.getByLabel('Current password').fill(changer.password);
    await page.getByLabel('New password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await screenshot(page, 'password-changed');

    for (const t of [tokens, moreTokens]) {
      assert.ok(await refusedByApi(stack, '/v1/me', t.body['access_token']!), 'an access token survived the password change');
      assert.equal((await refresh(stack, app, t.body['refresh_token']!)).body['error'], 'invalid_grant');
    }
    // the other browser's session ended too: it must sign in again, and only the new password works
    const { challenge } = pkcePair();
    await other.goto(authorizationUrl(stack, app, { challenge }), navigation);
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.context().close();
    await other.context().close();
  });

  test('an invalid request shows the error page', async () => {
    const page = await newPage();
    const { challenge } = pkcePair();
    const response = await page.goto(authorizationUrl(stack, app, { challenge, params: { redirect_uri: 'https://evil.example/callback' } }), navigation);
    assert.equal(response?.status(), 400);
    await page.getByRole('heading', { name: 'Something went wrong' }).waitFor();
    assert.match(new URL(page.url()).origin, new RegExp(stack.authUrl.replace(/[.:/]/g, '\\$&')));
    await screenshot(page, 'error');
    await page.context().close();
  });

  test('no page raised a Content-Security-Policy violation', () => {
    assert.deepEqual(cspViolations, []);
  });
});
