// The end-user side, for tests: a partner's app registered for the
// authorization-code flow, users to sign in, and the flow itself over HTTP.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createAccounts } from '@passerelle/accounts';
import { openStore } from '@passerelle/store';
import { basic, callApi, registerClient, type TestClient } from './oauth.ts';
import type { Stack } from './stack.ts';
import { csrfOf, UserAgent, type Page } from './user-agent.ts';

export interface TestApp extends TestClient {
  redirectUri: string;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

let counter = 0;

export async function registerApp(stack: Stack, scopes: string[], redirectUri = 'http://127.0.0.1:9/callback'): Promise<TestApp> {
  const client = await registerClient(stack, scopes, { grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [redirectUri] });
  return { ...client, redirectUri };
}

/** A user, optionally a member of `partnerId`'s partner; `admin` sees every partner in the portal. */
export async function createUser(stack: Stack, partnerId?: string, role: 'member' | 'admin' = 'member'): Promise<TestUser> {
  counter += 1;
  const email = `user-${process.pid}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
  const password = `pw ${randomBytes(12).toString('base64url')}`;
  const partner = partnerId ? await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: partnerId } }) : undefined;
  const store = await openStore({ kind: 'memory' });
  try {
    const user = await createAccounts({ prisma: stack.db.prisma, store })
      .createUser({ type: 'system', id: 'test' }, { email, name: `User ${counter}`, password, role, ...(partner ? { partner: partner.slug } : {}) });
    return { id: user.id, email, password };
  } finally {
    await store.close();
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeOptions {
  scope?: string;
  state?: string;
  nonce?: string;
  challenge?: string;
  /** Replaces or removes (undefined) authorization request parameters. */
  params?: Record<string, string | undefined>;
}

export function authorizationUrl(stack: Stack, app: TestApp, o: AuthorizeOptions & { challenge: string }): string {
  const params: Record<string, string | undefined> = {
    client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUri, scope: o.scope ?? 'openid profile',
    state: o.state ?? randomBytes(8).toString('hex'), nonce: o.nonce ?? randomBytes(8).toString('hex'),
    code_challenge: o.challenge, code_challenge_method: 'S256', ...o.params,
  };
  const url = new URL('/auth', stack.authUrl);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** Signs in at the login page of whatever interaction `page` landed on. */
export async function signIn(stack: Stack, ua: UserAgent, page: Page, user: { email: string; password: string }): Promise<Page> {
  const uid = /\/interaction\/([\w-]+)\/login/.exec(page.body)?.[1];
  if (!uid) throw new Error(`not a login page (status ${page.status})`);
  return ua.post(`${stack.authUrl}/interaction/${uid}/login`, { csrf: csrfOf(page), email: user.email, password: user.password });
}

export interface Authorized {
  /** The redirect back to the app, parsed. */
  callback: URL;
  code: string;
  verifier: string;
  ua: UserAgent;
}

/** The whole front channel: authorize → login → consent → redirect back with a code. */
export async function authorize(stack: Stack, app: TestApp, user: TestUser, o: AuthorizeOptions = {}, ua = new UserAgent()): Promise<Authorized> {
  const { verifier, challenge } = pkcePair();
  let page = await ua.follow(await ua.get(authorizationUrl(stack, app, { challenge, ...o })), stack.authUrl);
  if (/\/login"/.test(page.body)) page = await ua.follow(await signIn(stack, ua, page, user), stack.authUrl);
  const consent = /\/interaction\/([\w-]+)\/confirm/.exec(page.body)?.[1];
  if (consent) page = await ua.follow(await ua.post(`${stack.authUrl}/interaction/${consent}/confirm`, { csrf: csrfOf(page) }), stack.authUrl);
  if (!page.location) throw new Error(`the flow did not redirect back (status ${page.status}): ${page.body.slice(0, 300)}`);
  const callback = new URL(page.location);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${callback.href}`);
  return { callback, code, verifier, ua };
}

export async function tokenCall(stack: Stack, app: TestApp, params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${stack.authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app.clientId, app.clientSecret) },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export function redeemCode(stack: Stack, app: TestApp, code: string, verifier: string | undefined, extra: Record<string, string> = {}) {
  return tokenCall(stack, app, {
    grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, ...(verifier === undefined ? {} : { code_verifier: verifier }), ...extra,
  });
}

export function refresh(stack: Stack, app: TestApp, refreshToken: string, extra: Record<string, string> = {}) {
  return tokenCall(stack, app, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
}

/** A signed-in user of the app: the browser session, an access token that reaches partner data, a refresh token. */
export async function signedIn(stack: Stack, app: TestApp, user: TestUser): Promise<{ ua: UserAgent; access: string; refreshToken: string }> {
  const flow = await authorize(stack, app, user, { scope: 'openid profile partner:read' });
  const res = await redeemCode(stack, app, flow.code, flow.verifier);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal((await callApi(stack, '/v1/partners/me', res.body['access_token']!)).status, 200);
  return { ua: flow.ua, access: res.body['access_token']!, refreshToken: res.body['refresh_token']! };
}

/** Whether this browser must sign in again to authorize the app. */
export async function asksForPassword(stack: Stack, app: TestApp, ua: UserAgent): Promise<boolean> {
  const page = await ua.follow(await ua.get(authorizationUrl(stack, app, { challenge: pkcePair().challenge })), stack.authUrl);
  return /\/login"/.test(page.body);
}
