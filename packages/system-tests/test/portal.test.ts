// The partner portal in a real browser: Debian's headless Chromium driven by
// playwright-core against the real auth service, API and portal. The whole
// story of a partner's developer: sign in, create a client, get a token with
// it and call /v1/orders (signed with the key the Signing page shows), then
// disable it and watch the API refuse it. Around it, the attacks: another
// partner's ids in the URL, hostile names, forged or token-less forms, and the
// page headers. Each page is saved under test-artifacts/portal-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  callApi, callApiSigned, createUser, getToken, launchBrowser, newContext as openContext, registerClient, sampleOrder, screenshot,
  signInToPortal, startStack, tokenRequest, type Stack, type TestClient, type TestUser,
} from '../src/index.ts';

const hostile = '<img src=x onerror="window.__xss=1">"><script>window.__xss=2</script>';

let stack: Stack;
let browser: Browser;
let member: TestUser;
let admin: TestUser;
let acme: { id: string; slug: string };
let other: TestClient;
let otherSlug: string;
const findings = { cspViolations: [] as string[], dialogs: [] as string[] };
const { cspViolations, dialogs } = findings;

before(async () => {
  stack = await startStack({ portal: true });
  const actor = { type: 'system' as const, id: 'test' };
  const slug = `acme-${process.pid}`;
  const partner = await stack.registry.createPartner(actor, { slug, name: 'Acme Logistics' });
  acme = { id: partner.id, slug };
  member = await createUser(stack, partner.id);
  admin = await createUser(stack, undefined, 'admin');
  other = await registerClient(stack, ['orders:read']);
  otherSlug = (await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: other.partnerId } })).slug;
  // A hostile display name on the other partner: the admin's partner list must render it inert.
  await stack.registry.updatePartner(actor, otherSlug, { name: hostile.slice(0, 120) });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

const newContext = () => openContext(browser, findings);

async function signIn(page: Page, user: TestUser, shots = false): Promise<void> {
  await signInToPortal(stack, page, user, shots ? () => screenshot(page, 'welcome') : undefined);
}

async function refused(call: () => Promise<Response>, deadlineMs = 1_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await call();
    await res.arrayBuffer();
    if (res.status === 401 || Date.now() > deadline) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the partner portal in a real browser', () => {
  let context: BrowserContext;
  let page: Page;
  let consumerKey = '';
  let consumerSecret = '';
  let signing = { keyId: '', signingKey: '' };

  before(async () => {
    context = await newContext();
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
  });

  test('a member signs in and lands on their partner\'s credentials', async () => {
    await signIn(page, member, true);
    assert.equal(new URL(page.url()).pathname, `/partners/${acme.slug}/credentials`);
    await page.getByRole('heading', { name: 'Credentials' }).waitFor();
    await screenshot(page, 'credentials-empty');
    // keyboard: the first Tab reaches the skip link, which moves focus to the page's content
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    const cookies = await context.cookies(stack.portalUrl);
    const session = cookies.find((c) => c.name === 'passerelle-portal');
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.ok(!cookies.some((c) => /^ey/.test(c.value)), 'no token in any cookie');
  });

  test('pages carry a strict CSP without unsafe-inline, and no-store', async () => {
    const res = await page.request.get(`${stack.portalUrl}/partners/${acme.slug}/credentials`);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers()['cache-control'], 'no-store');
  });

  test('creating a client shows its secret once, with a working copy button', async () => {
    await page.getByLabel('Name', { exact: true }).fill(`Warehouse ${hostile}`.slice(0, 120));
    await page.getByLabel(/Read your organization’s orders/).check();
    await page.getByLabel(/Create, change and delete/).check();
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name: 'Client created' }).waitFor();
    assert.match(await page.locator('.once').innerText(), /only time the consumer-secret is shown/);
    consumerKey = await page.getByLabel('Consumer-key', { exact: true }).inputValue();
    consumerSecret = await page.getByLabel('Consumer-secret', { exact: true }).inputValue();
    assert.match(consumerKey, /^ck_/);
    assert.match(consumerSecret, /^cs_/);
    // copy.js ran under the CSP and revealed the buttons
    assert.equal(await page.getByRole('button', { name: 'Copy' }).count(), 2);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.portalUrl });
    await page.getByRole('button', { name: 'Copy' }).nth(1).click();
    await page.getByRole('status').filter({ hasText: 'copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), consumerSecret);
    await screenshot(page, 'client-created');

    // the secret is not shown again anywhere
    await page.getByRole('link', { name: 'I have stored it' }).click();
    await page.getByRole('heading', { name: /Warehouse/ }).waitFor();
    assert.ok(!(await page.content()).includes(consumerSecret));
    await screenshot(page, 'client');
  });

  test('hostile names render as text, never as markup', async () => {
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials`);
    const cell = page.getByRole('cell', { name: /^Warehouse/ });
    assert.match(await cell.innerText(), /<img src=x onerror=/);
    assert.equal(await page.locator('main img, main script').count(), 0);
    assert.equal(await page.evaluate('window.__xss'), undefined);
    assert.deepEqual(dialogs, []);
  });

  test('the client\'s token reaches /v1/orders, signed with the key the Signing page shows', async () => {
    const token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'orders:read orders:write');
    const list = await callApi(stack, '/v1/orders', token);
    assert.equal(list.status, 200);

    await page.getByRole('link', { name: 'Signing' }).click();
    await page.getByRole('heading', { name: 'Request signing' }).waitFor();
    await page.getByRole('button', { name: /Show signing key/ }).click();
    const keyId = await page.getByLabel('Key id (keyId)', { exact: true }).inputValue();
    const signingKey = await page.getByLabel('Signing key', { exact: true }).inputValue();
    assert.equal(keyId, `${consumerKey}.v1`);
    assert.match(await page.locator('pre').first().innerText(), /^PASSERELLE-HMAC-SHA256\n/);
    await screenshot(page, 'signing');

    const created = await callApiSigned(stack, '/v1/orders', token, { keyId, signingKey }, {
      method: 'POST', body: JSON.stringify(sampleOrder()), headers: { 'content-type': 'application/json' },
    });
    assert.equal(created.status, 201, await created.text());
    signing = { keyId, signingKey };
  });

  test('an API key created in the portal calls the API, signed; revoked there, the API refuses it', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Nightly export');
    await page.getByLabel('Acts as client').selectOption(consumerKey);
    await page.getByLabel(/Read your organization’s orders/).check();
    await page.getByLabel(/Create, change and delete/).check();
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByRole('heading', { name: 'Store the API key now' }).waitFor();
    const apiKey = await page.getByLabel('API key', { exact: true }).inputValue();
    assert.match(apiKey, /^psk_[A-Za-z0-9_-]{43}$/);
    assert.equal(await page.getByRole('button', { name: 'Copy' }).count(), 1);
    await screenshot(page, 'api-key-created');

    assert.equal((await callApi(stack, '/v1/orders', apiKey)).status, 200);
    const created = await callApiSigned(stack, '/v1/orders', apiKey, signing, {
      method: 'POST', body: JSON.stringify(sampleOrder()), headers: { 'content-type': 'application/json' },
    });
    assert.equal(created.status, 201, await created.text());
    const unsigned = await callApi(stack, '/v1/orders', apiKey, {
      method: 'POST', body: JSON.stringify(sampleOrder()), headers: { 'content-type': 'application/json' },
    });
    assert.equal(unsigned.status, 401, 'a key follows its client\'s signature policy');

    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/api-keys`);
    assert.ok(!(await page.content()).includes(apiKey), 'the key is not shown again');
    await page.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('heading', { name: 'Revoke “Nightly export”?' }).waitFor();
    assert.equal((await callApi(stack, '/v1/orders', apiKey)).status, 200, 'nothing happens before the confirmation');
    await screenshot(page, 'api-key-revoke-confirm');
    await page.getByRole('button', { name: 'Yes, revoke it' }).click();
    await page.getByText('revoked: the API refuses it').waitFor();
    assert.equal(await refused(() => callApi(stack, '/v1/orders', apiKey)), 401);
    await screenshot(page, 'api-key-revoked');
  });

  test('rotating the signing key shows the new one, which the API then accepts', async () => {
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/signing`);
    await page.getByRole('button', { name: /^Rotate/ }).click();
    await page.getByRole('button', { name: 'Yes, rotate the key' }).click();
    const keyId = await page.getByLabel('Key id (keyId)', { exact: true }).inputValue();
    const signingKey = await page.getByLabel('Signing key', { exact: true }).inputValue();
    assert.equal(keyId, `${consumerKey}.v2`);
    assert.notEqual(signingKey, signing.signingKey);
    const token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'orders:write');
    let status = 0;
    for (let tries = 0; tries < 100 && status !== 201; tries++) {
      const res = await callApiSigned(stack, '/v1/orders', token, { keyId, signingKey }, {
        method: 'POST', body: JSON.stringify(sampleOrder()), headers: { 'content-type': 'application/json' },
      });
      status = res.status;
      await res.arrayBuffer();
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 201);
  });

  test('the usage page counts the calls made today', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    const today = Number((await page.locator('.stat .value').first().innerText()).replace(/\D/g, ''));
    assert.ok(today >= 4, `requests today: ${today}`);
    assert.match(await page.locator('main').innerText(), /Quota left today/);
    await screenshot(page, 'usage');
  });

  test('rotating the secret with a grace keeps the old one working until the member stops it', async () => {
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials/${consumerKey}`);
    await page.getByLabel('Grace period').selectOption({ label: '1 hour' });
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'Secret rotated' }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /previous secret keeps working until/);
    const rotated = await page.getByLabel('Consumer-secret', { exact: true }).inputValue();
    assert.notEqual(rotated, consumerSecret);
    await screenshot(page, 'secret-rotated');
    await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'orders:read');
    await getToken(stack, { clientId: consumerKey, clientSecret: rotated }, 'orders:read');

    await page.getByRole('link', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Stop the previous secret now' }).click();
    await page.getByText('The previous secret has stopped working').waitFor();
    const old = await tokenRequest(stack, { clientId: consumerKey, clientSecret: consumerSecret }, { scope: 'orders:read' });
    assert.equal(old.status, 401);
    assert.equal(((await old.json()) as { error: string }).error, 'invalid_client');
    consumerSecret = rotated;
  });

  test('disabling the client in the portal makes the API refuse its token', async () => {
    // The grace just ended revoked every token issued up to that second: take one issued after it.
    let token = '';
    for (let tries = 0; tries < 30; tries++) {
      token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'orders:read');
      if ((await callApi(stack, '/v1/orders', token)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal((await callApi(stack, '/v1/orders', token)).status, 200);
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials/${consumerKey}`);
    await page.getByRole('button', { name: 'Disable client' }).click();
    await page.getByRole('button', { name: 'Yes, disable it' }).click();
    await page.getByText('Client disabled').waitFor();
    assert.equal(await refused(() => callApi(stack, '/v1/orders', token)), 401);
    await screenshot(page, 'client-disabled');
  });

  test('the audit page lists what the member did, as the member', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    const text = await page.locator('main table').innerText();
    for (const action of ['client.create', 'client.signing_key.read', 'client.signing_key.rotate', 'api_key.create', 'api_key.revoke', 'client.secret.rotate', 'client.secret.grace_end', 'client.disable']) {
      assert.match(text, new RegExp(action.replaceAll('.', '\\.')));
    }
    assert.match(text, new RegExp(`user ${member.id} \\(session\\)`));
    assert.doesNotMatch(text, new RegExp(other.clientId), 'no event of another partner');
    await screenshot(page, 'audit');
  });

  test('another partner\'s pages and clients are 404 to a member, as is the admin area', async () => {
    for (const path of [
      `/partners/${otherSlug}/credentials`,
      `/partners/${otherSlug}/audit`,
      `/partners/${acme.slug}/credentials/${other.clientId}`,
      '/partners',
      `/partners/${acme.slug}/settings`,
      `/partners/${acme.slug}/bounds`,
    ]) {
      const res = await page.goto(`${stack.portalUrl}${path}`);
      assert.equal(res?.status(), 404, path);
      assert.doesNotMatch(await page.content(), new RegExp(other.clientId), path);
    }
    await screenshot(page, 'not-found');
    // POSTs too, even with a valid CSRF token of this session
    const csrf = await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials`).then(() => page.locator('input[name=csrf]').first().inputValue());
    const res = await page.request.post(`${stack.portalUrl}/partners/${acme.slug}/credentials/${other.clientId}/disable`, { form: { csrf, confirm: 'yes' } });
    assert.equal(res.status(), 404);
    assert.equal((await stack.registry.getClient(other.clientId)).status, 'active');
  });

  test('a form without its CSRF token, or with a wrong one, is refused', async () => {
    const before = (await stack.registry.listClients({ partner: acme.slug })).items.length;
    const forms: Record<string, string>[] = [{ name: 'Forged', scopes: 'orders:read' }, { name: 'Forged', scopes: 'orders:read', csrf: 'x'.repeat(43) }];
    for (const form of forms) {
      const res = await page.request.post(`${stack.portalUrl}/partners/${acme.slug}/credentials`, { form });
      assert.equal(res.status(), 403);
    }
    const events = stack.logs.filter((l) => l['event'] === 'auth.refused' && l['reason'] === 'csrf');
    assert.equal(events.length, 2, 'each refusal is a security event');
    assert.equal(events[0]!['userId'], member.id);
    assert.equal((await stack.registry.listClients({ partner: acme.slug })).items.length, before);
  });

  test('the IP allowlist stays within the bounds an admin set', async () => {
    await stack.registry.updatePartner({ type: 'system', id: 'test' }, acme.slug, { ipAllowlistBounds: ['203.0.113.0/24'] });
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials/${consumerKey}`);
    await page.getByLabel('Allowed addresses').fill('198.51.100.0/24');
    await page.getByRole('button', { name: 'Save allowlist' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /outside the ranges your administrator allows/);
    await screenshot(page, 'ip-allowlist-refused');
    await page.getByLabel('Allowed addresses').fill('203.0.113.0/25');
    await page.getByRole('button', { name: 'Save allowlist' }).click();
    await page.getByText('IP allowlist saved.').waitFor();
    assert.deepEqual((await stack.registry.getClient(consumerKey)).ipAllowlist, ['203.0.113.0/25']);
  });

  test('signing out ends the portal session and the sign-in at the auth service', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    assert.equal(new URL(page.url()).origin, stack.portalUrl);
    await screenshot(page, 'signed-out');
    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials`);
    // no portal session, and no auth session: the password is asked again
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).origin, stack.authUrl);
  });
});

test('a password change ends the portal session too', async () => {
  const changer = await createUser(stack, acme.id);
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, changer);
  await page.getByRole('heading', { name: 'Credentials' }).waitFor();
  // in another tab, at the auth service, which ends its own sessions and the user's tokens
  const other = await context.newPage();
  await other.goto(`${stack.authUrl}/account/password`);
  await other.getByLabel('Email').fill(changer.email);
  await other.getByLabel('Current password').fill(changer.password);
  await other.getByLabel('New password').fill('an entirely new passphrase');
  await other.getByRole('button', { name: 'Change password' }).click();
  await other.getByRole('heading', { name: 'Password changed' }).waitFor();
  await page.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(new URL(page.url()).origin, stack.authUrl);
  await context.close();
});

describe('an admin in the portal', () => {
  test('sees every partner, hostile names inert, and may open another partner\'s pages', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, admin);
    assert.equal(new URL(page.url()).pathname, '/partners');
    await page.getByRole('heading', { name: 'Partners' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /Acme Logistics/);
    assert.match(text, /<img src=x onerror=/);
    assert.equal(await page.locator('main img, main script').count(), 0);
    await screenshot(page, 'admin-partners');
    const res = await page.goto(`${stack.portalUrl}/partners/${otherSlug}/credentials`);
    assert.equal(res?.status(), 200);
    assert.match(await page.locator('main').innerText(), new RegExp(other.clientId));

    // what only an admin may change: the client's policy, here its rate tier, audited as the admin
    await page.goto(`${stack.portalUrl}/partners/${otherSlug}/credentials/${other.clientId}`);
    await page.getByLabel('Rate tier').selectOption('premium');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    assert.equal((await stack.registry.getClient(other.clientId)).rateTier, 'premium');
    await screenshot(page, 'admin-client-policy');

    await page.goto(`${stack.portalUrl}/partners/${acme.slug}/bounds`);
    await page.getByRole('heading', { name: 'Partner settings' }).waitFor();
    await screenshot(page, 'admin-partner-settings');

    await page.goto(`${stack.portalUrl}/partners`);
    await page.getByLabel('Name', { exact: true }).fill('Globex');
    await page.getByLabel('Slug').fill(`globex-${process.pid}`);
    await page.getByRole('button', { name: 'Add partner' }).click();
    await page.getByText('Partner Globex added.').waitFor();
    const events = await stack.registry.listAuditEvents({ action: 'partner.create', actor: admin.id });
    assert.equal(events.items.length, 1);
    assert.equal(events.items[0]!.actorType, 'admin');
    await context.close();
    assert.deepEqual(dialogs, []);
  });
});

test('no portal page raised a Content-Security-Policy violation', () => {
  assert.deepEqual(cspViolations, []);
});
