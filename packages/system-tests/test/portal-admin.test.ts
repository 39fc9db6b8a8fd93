// The portal's administrator, in a real browser: everything the admin API does,
// through the same domain functions and audit. Rename a partner, edit a client
// in full, create a user and disable them (their portal session ends), rotate
// a token-signing key and cancel the rotation, filter the audit trail and
// export it. Around it, the attacks at HTTP level: a member gets 404 for every
// admin page and action, and a form without its CSRF token changes nothing.
// Each page is saved under test-artifacts/portal-admin-*.png.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listSigningKeys } from '@passerelle/keys';
import {
  createUser, launchBrowser, newContext, registerClient, screenshot, signInToPortal, startStack,
  type BrowserFindings, type Stack, type TestClient, type TestUser,
} from '../src/index.ts';

const actor = { type: 'system' as const, id: 'test' };
let stack: Stack;
let browser: Browser;
let admin: TestUser;
let member: TestUser;
let acme: { id: string; slug: string };
let acmeClient: string;
let other: TestClient;
let otherSlug: string;
const findings: BrowserFindings = { cspViolations: [], dialogs: [] };

before(async () => {
  stack = await startStack({ portal: true });
  acme = { slug: `acme-${process.pid}`, id: '' };
  acme.id = (await stack.registry.createPartner(actor, { slug: acme.slug, name: 'Acme Logistics' })).id;
  acmeClient = (await stack.registry.createPartnerClient(actor, acme.slug, { name: 'Warehouse', scopes: ['orders:read'] })).client.clientId;
  member = await createUser(stack, acme.id);
  admin = await createUser(stack, undefined, 'admin');
  other = await registerClient(stack, ['orders:read']);
  otherSlug = (await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: other.partnerId } })).slug;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

const shot = (page: Page, name: string) => screenshot(page, `admin-${name}`);
const csrfOf = (page: Page) => page.locator('input[name=csrf]').first().inputValue();
const adminEvents = (action: string) => stack.registry.listAuditEvents({ action, actor: admin.id }).then((p) => p.items);

describe('an administrator does in the portal what the admin API does', () => {
  let context: BrowserContext;
  let page: Page;
  let created = { id: '', email: `new-${process.pid}@example.test`, password: 'a long enough passphrase' };

  before(async () => {
    context = await newContext(browser, findings);
    page = await context.newPage();
    await signInToPortal(stack, page, admin);
  });
  after(async () => {
    await context?.close();
  });

  test('renames a partner; the slug stays, the change is audited as the admin', async () => {
    await page.goto(`${stack.portalUrl}/partners`);
    await page.getByRole('link', { name: 'Settings of Acme Logistics' }).click();
    await page.getByRole('heading', { name: 'Partner settings' }).waitFor();
    await page.getByLabel('Display name').fill('Acme Freight');
    await page.getByRole('button', { name: 'Rename partner' }).click();
    await page.getByText('Partner renamed to Acme Freight.').waitFor();
    assert.equal((await stack.registry.getPartner(acme.slug)).name, 'Acme Freight');
    const [event] = await adminEvents('partner.update');
    assert.deepEqual(event?.diff, { before: { name: 'Acme Logistics' }, after: { name: 'Acme Freight' } });
    await shot(page, 'partner-settings');
    // an empty name is refused by the registry's rule, shown next to the form
    await page.getByLabel('Display name').fill('   ');
    await page.getByRole('button', { name: 'Rename partner' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal((await stack.registry.getPartner(acme.slug)).name, 'Acme Freight');
  });

  test('edits a client in full: name, grants, redirect URIs, scopes, tier, quota, Basic fallback, signatures', async () => {
    await page.goto(`${stack.portalUrl}/partners/${otherSlug}/credentials/${other.clientId}`);
    // the registry's rule first: authorization_code needs a redirect URI
    await page.getByLabel(/Authorization code with PKCE/).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /redirect URI/);
    assert.deepEqual((await stack.registry.getClient(other.clientId)).grantTypes, ['client_credentials']);
    await shot(page, 'client-settings-refused');

    await page.getByLabel('Name', { exact: true }).fill('Billing backend');
    await page.getByLabel(/Authorization code with PKCE/).check();
    await page.getByLabel('Redirect URIs, one per line').fill('https://billing.example.com/callback');
    await page.locator('input[name=scopes][value="orders:write"]').check();
    await page.getByLabel('Rate tier').selectOption('premium');
    await page.getByLabel('Daily quota (requests per UTC day)').fill('5000');
    await page.getByLabel('Signatures required').selectOption('all');
    await page.getByLabel(/deprecated HTTP Basic fallback/).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const client = await stack.registry.getClient(other.clientId);
    assert.equal(client.name, 'Billing backend');
    assert.deepEqual(client.grantTypes, ['client_credentials', 'authorization_code']);
    assert.deepEqual(client.redirectUris, ['https://billing.example.com/callback']);
    assert.deepEqual([...client.allowedScopes].sort(), ['orders:read', 'orders:write']);
    assert.equal(client.rateTier, 'premium');
    assert.equal(client.dailyQuota, 5000);
    assert.equal(client.signaturePolicy, 'all');
    assert.equal(client.basicAuthFallback, true);
    const [event] = await adminEvents('client.update');
    assert.equal(event?.targetId, other.clientId);
    await shot(page, 'client-settings');
  });

  test('creates a user with a role and partner, never shows the password back, and disabling them ends their session', async () => {
    await page.goto(`${stack.portalUrl}/users`);
    await page.getByLabel('Email').fill(created.email);
    await page.getByLabel('Name', { exact: true }).fill('Nina New');
    await page.getByLabel('Password').fill(created.password);
    await page.getByLabel('Role').selectOption('member');
    await page.getByLabel('Partner', { exact: true }).selectOption({ label: 'Acme Freight' });
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`User ${created.email} created.`).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(created.password));
    const row = await stack.db.prisma.user.findUniqueOrThrow({ where: { email: created.email } });
    assert.equal(row.partnerId, acme.id);
    assert.equal(row.role, 'member');
    created = { ...created, id: row.id };
    await shot(page, 'users');

    // the new user signs in with the password the admin chose, and sees their partner
    const theirs = await newContext(browser, findings);
    const theirPage = await theirs.newPage();
    await signInToPortal(stack, theirPage, { id: created.id, email: created.email, password: created.password });
    assert.equal(new URL(theirPage.url()).pathname, `/partners/${acme.slug}/credentials`);

    await page.getByRole('link', { name: `Manage ${created.email}` }).click();
    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.getByRole('heading', { name: `Disable ${created.email}?` }).waitFor();
    await shot(page, 'user-disable-confirm');
    await page.getByRole('button', { name: 'Yes, disable the user' }).click();
    await page.getByText('User disabled').waitFor();
    assert.equal((await stack.db.prisma.user.findUniqueOrThrow({ where: { id: created.id } })).status, 'disabled');
    assert.equal((await adminEvents('user.disable'))[0]?.targetId, created.id);
    // their portal session is gone at once
    await theirPage.goto(`${stack.portalUrl}/partners/${acme.slug}/credentials`);
    await theirPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await theirs.close();

    await page.getByRole('button', { name: 'Enable user' }).click();
    await page.getByText('User enabled.').waitFor();
    // the browser would stop a short password itself; the domain's refusal is what counts
    await page.getByLabel('New password').evaluate((input) => input.removeAttribute('minlength'));
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /at least 12 characters/);
    await page.getByLabel('New password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.locator('p.notice', { hasText: 'Password reset' }).waitFor();
    assert.equal((await adminEvents('user.password_reset'))[0]?.targetId, created.id);
    await shot(page, 'user');
  });

  test('rotates the token-signing key with an activation delay, then cancels it by retiring the staged key', async () => {
    await page.goto(`${stack.portalUrl}/signing-keys`);
    await page.getByRole('heading', { name: 'Token-signing keys' }).waitFor();
    const signing = (await listSigningKeys(stack.db.prisma)).find((k) => k.signing)!;
    assert.match(await page.locator('main table').innerText(), new RegExp(`${signing.kid}\\s+signing now`));
    assert.equal(await page.getByLabel('Key', { exact: true }).count(), 0, 'nothing to retire: the signing key offers no retirement');
    // and the domain refuses it to a hand-made form too: the rule is not the template's
    const forced = await page.request.post(`${stack.portalUrl}/signing-keys/retire`, { form: { csrf: await csrfOf(page), kid: signing.kid, force: 'on', confirm: 'yes' } });
    assert.equal(forced.status(), 409);
    assert.match(await forced.text(), /the one signing tokens/);
    assert.equal((await listSigningKeys(stack.db.prisma)).find((k) => k.kid === signing.kid)?.status, 'active');
    await page.getByLabel('Activation delay, seconds').fill('3600');
    await page.getByRole('button', { name: 'Rotate the signing key' }).click();
    await page.getByText(/staged: it is published now and signs from/).waitFor();
    const staged = (await listSigningKeys(stack.db.prisma)).find((k) => k.status === 'staged')!;
    assert.ok(staged);
    const delay = staged.activatesAt!.getTime() - staged.createdAt.getTime();
    assert.ok(delay > 3_500_000 && delay < 3_700_000, 'activates about an hour later');
    assert.equal((await adminEvents('signing_key.stage'))[0]?.targetId, staged.kid);
    await shot(page, 'signing-keys');

    // one rotation at a time: the domain's refusal, on the page
    await page.getByRole('button', { name: 'Rotate the signing key' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /already staged/);

    const choices = await page.getByLabel('Key', { exact: true }).locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    assert.deepEqual(choices, [staged.kid], 'the signing key offers no retirement');
    await page.getByLabel('Key', { exact: true }).selectOption(staged.kid);
    await page.getByRole('button', { name: 'Retire the key' }).click();
    await page.getByRole('heading', { name: `Retire key ${staged.kid}?` }).waitFor();
    await page.getByRole('button', { name: 'Yes, retire the key' }).click();
    await page.getByText(`Key ${staged.kid} retired.`).waitFor();
    assert.equal((await listSigningKeys(stack.db.prisma)).find((k) => k.kid === staged.kid)?.status, 'retired');
    assert.equal((await adminEvents('signing_key.retire'))[0]?.targetId, staged.kid);
  });

  test('filters the audit trail by actor, action and time, and exports the same events as JSON lines', async () => {
    await page.goto(`${stack.portalUrl}/audit`);
    await page.getByLabel('Actor', { exact: true }).fill(admin.id);
    await page.getByLabel('Action', { exact: true }).fill('user.*');
    await page.getByLabel('From (UTC)').fill(new Date(Date.now() - 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=user/);
    const shown = await page.locator('main table tbody tr td:nth-child(2) code').allInnerTexts();
    assert.deepEqual([...new Set(shown)].sort(), ['user.create', 'user.disable', 'user.enable', 'user.password_reset']);
    await shot(page, 'audit');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Export these events/ }).click()]);
    assert.equal(download.suggestedFilename(), 'audit-events.ndjson');
    const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; actorId: string });
    assert.equal(lines.length, shown.length);
    for (const line of lines) {
      assert.match(line.action, /^user\./);
      assert.equal(line.actorId, admin.id);
    }

    // a filter the schema refuses says so, on the page and at the export
    await page.goto(`${stack.portalUrl}/audit?action=${encodeURIComponent('DROP TABLE')}`);
    await page.getByRole('alert').waitFor();
    const res = await page.request.get(`${stack.portalUrl}/audit/export?from=yesterday`);
    assert.equal(res.status(), 400);
  });

  test('lists every partner\'s API keys, filtered by partner, each leading to its partner\'s page', async () => {
    const ours = await stack.registry.createApiKey(actor, { clientId: acmeClient, name: 'Acme nightly sync', scopes: ['orders:read'] });
    const theirs = await stack.registry.createApiKey(actor, { clientId: other.clientId, name: 'Billing export', scopes: ['orders:read'] });
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    let text = await page.locator('main table').innerText();
    assert.match(text, new RegExp(ours.apiKey.prefix));
    assert.match(text, new RegExp(theirs.apiKey.prefix));
    assert.doesNotMatch(await page.content(), new RegExp(ours.key), 'never a key itself');
    await shot(page, 'api-keys');
    await page.getByLabel('Partner').selectOption({ label: 'Acme Freight' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/partner=/);
    text = await page.locator('main table').innerText();
    assert.match(text, new RegExp(ours.apiKey.prefix));
    assert.doesNotMatch(text, new RegExp(theirs.apiKey.prefix));
    await page.getByRole('link', { name: 'Manage Acme nightly sync of Acme Freight' }).click();
    assert.equal(new URL(page.url()).pathname, `/partners/${acme.slug}/api-keys`);
  });

  test('a form of the admin pages without its CSRF token, or with a wrong one, changes nothing', async () => {
    await page.goto(`${stack.portalUrl}/users`);
    const before = { users: await stack.db.prisma.user.count(), keys: (await listSigningKeys(stack.db.prisma)).length };
    const refusals = () => stack.logs.filter((l) => l['event'] === 'auth.refused' && l['reason'] === 'csrf').length;
    const already = refusals();
    const posts: [string, Record<string, string>][] = [
      ['/users', { email: `forged-${process.pid}@example.test`, name: 'Forged', password: 'a long enough passphrase', role: 'admin' }],
      [`/users/${created.id}/disable`, { confirm: 'yes' }],
      [`/users/${created.id}/reset-password`, { password: 'a forged passphrase' }],
      ['/signing-keys/rotate', { activateInSeconds: '0' }],
      [`/partners/${acme.slug}/name`, { name: 'Forged' }],
    ];
    for (const [path, form] of posts) {
      for (const csrf of [undefined, 'x'.repeat(43)]) {
        const res = await page.request.post(`${stack.portalUrl}${path}`, { form: csrf ? { ...form, csrf } : form });
        assert.equal(res.status(), 403, `${path} ${csrf ? 'wrong token' : 'no token'}`);
      }
    }
    assert.equal(refusals() - already, posts.length * 2, 'each refusal is a security event');
    assert.equal(await stack.db.prisma.user.count(), before.users);
    assert.equal((await stack.db.prisma.user.findUniqueOrThrow({ where: { id: created.id } })).status, 'active');
    assert.equal((await listSigningKeys(stack.db.prisma)).length, before.keys);
    assert.equal((await stack.registry.getPartner(acme.slug)).name, 'Acme Freight');
  });
});

test('a member gets 404 for every admin page and action, even with a valid CSRF token, and nothing changes', async () => {
  const context = await newContext(browser, findings);
  const page = await context.newPage();
  await signInToPortal(stack, page, member);
  const csrf = await csrfOf(page);
  const target = await createUser(stack, acme.id);
  const kid = (await listSigningKeys(stack.db.prisma)).find((k) => k.signing)!.kid;
  const before = { users: await stack.db.prisma.user.count(), keys: (await listSigningKeys(stack.db.prisma)).length, client: await stack.registry.getClient(acmeClient) };

  for (const path of [
    '/users', `/users/${target.id}`, `/users/${encodeURIComponent(target.email)}`, '/signing-keys', '/audit', '/api-keys', '/api-keys?partner=' + otherSlug, '/audit/export', '/audit/export?action=user.*',
    `/partners/${acme.slug}/settings`, `/partners/${acme.slug}/bounds`,
  ]) {
    const res = await page.request.get(`${stack.portalUrl}${path}`);
    assert.equal(res.status(), 404, `GET ${path}`);
    assert.doesNotMatch(await res.text(), new RegExp(`${target.email}|${kid}`), path);
  }
  const posts: [string, Record<string, string>][] = [
    ['/users', { email: `member-made-${process.pid}@example.test`, name: 'Sneaky', password: 'a long enough passphrase', role: 'admin', partner: acme.slug }],
    [`/users/${target.id}/disable`, { confirm: 'yes' }],
    [`/users/${target.id}/enable`, {}],
    [`/users/${target.id}/reset-password`, { password: 'a member-chosen passphrase' }],
    ['/signing-keys/rotate', { activateInSeconds: '0' }],
    ['/signing-keys/retire', { kid, confirm: 'yes', force: 'on' }],
    [`/partners/${acme.slug}/name`, { name: 'Renamed by a member' }],
    [`/partners/${acme.slug}/bounds`, { bounds: '0.0.0.0/0' }],
    // their own partner's client: its settings are an administrator's
    [`/partners/${acme.slug}/credentials/${acmeClient}/settings`, { name: 'Mine now', scopes: 'orders:write', rateTier: 'premium', signaturePolicy: 'off', grantTypes: 'client_credentials' }],
  ];
  for (const [path, form] of posts) {
    const res = await page.request.post(`${stack.portalUrl}${path}`, { form: { ...form, csrf } });
    assert.equal(res.status(), 404, `POST ${path}`);
  }
  assert.equal(await stack.db.prisma.user.count(), before.users);
  assert.equal((await stack.db.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).status, 'active');
  assert.equal((await listSigningKeys(stack.db.prisma)).length, before.keys);
  assert.equal((await listSigningKeys(stack.db.prisma)).find((k) => k.kid === kid)?.status, 'active');
  assert.equal((await stack.registry.getPartner(acme.slug)).name, 'Acme Freight');
  assert.deepEqual((await stack.registry.getPartner(acme.slug)).ipAllowlistBounds, []);
  assert.deepEqual(await stack.registry.getClient(acmeClient), before.client);
  await context.close();
});

test('no admin page raised a Content-Security-Policy violation or a dialog', () => {
  assert.deepEqual(findings.cspViolations, []);
  assert.deepEqual(findings.dialogs, []);
});
