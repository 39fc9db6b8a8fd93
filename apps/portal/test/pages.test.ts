// The portal's templates: every interpolated value is escaped (names,
// descriptions, ids, errors), no page carries inline script or style, and
// every form field has its label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientView, PartnerView } from '@passerelle/registry';
import { allApiKeysPage } from '../src/pages/all-api-keys.ts';
import { apiKeysPage } from '../src/pages/api-keys.ts';
import { auditPage, auditTrailPage } from '../src/pages/audit.ts';
import { confirmPage } from '../src/pages/confirm.ts';
import { clientPage, credentialsPage, issuedSecretPage } from '../src/pages/credentials.ts';
import { partnerSettingsPage, partnersPage } from '../src/pages/partners.ts';
import { signingPage } from '../src/pages/signing.ts';
import { signingKeysPage } from '../src/pages/signing-keys.ts';
import { userPage, usersPage } from '../src/pages/users.ts';
import { usagePage } from '../src/pages/usage.ts';

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
const at = new Date('2026-11-23T12:00:00Z');
const viewer = { email: hostile, isAdmin: true, csrfToken: hostile };
const partner: PartnerView = { id: hostile, slug: hostile, name: hostile, status: 'active', ipAllowlistBounds: [hostile], createdAt: at, updatedAt: at };
const client: ClientView = {
  clientId: hostile, partnerId: hostile, name: hostile, status: 'active', allowedScopes: [hostile], grantTypes: [hostile], redirectUris: [],
  basicAuthFallback: false, rateTier: 'standard', dailyQuota: null, ipAllowlist: [hostile], signaturePolicy: 'writes', secretGraceEndsAt: at, createdAt: at, updatedAt: at,
};
const key = { id: hostile, name: hostile, clientId: hostile, prefix: hostile, scopes: [hostile], status: 'active', expiresAt: at, lastUsedAt: at, createdAt: at };
const error = { message: hostile, details: [hostile] };
const user = { id: hostile, email: hostile, name: hostile, partnerId: hostile, status: 'active' as const, role: 'member' as const, passwordChangedAt: at, createdAt: at, updatedAt: at };
const event = {
  id: hostile, at, actorType: 'user', actorId: hostile, credential: hostile, partnerId: hostile, method: hostile, path: hostile, action: hostile,
  targetType: hostile, targetId: hostile, outcome: 'failure', requestId: hostile, ip: hostile, diff: { reason: hostile },
} as const;

const pages = {
  credentials: credentialsPage({ viewer, partner, clients: [client], scopes: [{ scope: hostile, description: hostile }], error, name: hostile }),
  issued: issuedSecretPage({ viewer, partner, client, consumerSecret: hostile, title: hostile, issuer: hostile, note: hostile }),
  client: clientPage({ viewer, partner, client, defaultGraceSeconds: 86_400, allScopes: [{ scope: hostile, description: hostile }], error, notice: hostile, ipAllowlistText: hostile }),
  confirm: confirmPage({ viewer, partner, section: 'credentials', title: hostile, message: hostile, action: hostile, button: hostile, cancel: hostile, hidden: { [hostile]: hostile } }),
  partners: partnersPage(viewer, [partner], { error, notice: hostile, form: { slug: hostile, name: hostile } }),
  partnerSettings: partnerSettingsPage(viewer, partner, { error, notice: hostile, name: hostile, text: hostile }),
  signing: signingPage({
    viewer, partner, clients: [client], apiUrl: hostile,
    revealed: { key: { clientId: hostile, keyVersion: 1, keyId: hostile, signingKey: hostile }, example: { method: hostile, target: hostile, body: hostile, timestamp: 1, canonical: hostile, header: hostile } },
  }),
  audit: auditPage(viewer, partner, [event], hostile),
  auditTrail: auditTrailPage({
    viewer, events: [event], nextCursor: hostile, error,
    filters: { partner: hostile, actor: hostile, client: hostile, action: hostile, from: hostile, to: hostile },
  }),
  allApiKeys: allApiKeysPage({
    viewer, partners: [partner], filters: { partner: hostile, status: hostile }, error, nextCursor: hostile,
    keys: [{ ...key, partnerId: hostile, status: 'active', revokedAt: null }],
  }),
  users: usersPage({ viewer, users: [user], nextCursor: hostile, partners: [partner], partnerFilter: hostile, error, notice: hostile, form: { email: hostile, name: hostile, partner: hostile, role: hostile } }),
  user: userPage({ viewer, user, partner, error, notice: hostile }),
  signingKeys: signingKeysPage({
    viewer, activationDelaySeconds: 900, error, notice: hostile, delayText: hostile,
    keys: [{ kid: hostile, alg: hostile, status: 'staged', activatesAt: at, activatedAt: null, retiresAt: null, retiredAt: null, createdAt: at, signing: false }],
  }),
  apiKeys: apiKeysPage({
    viewer, partner, keys: [key], clients: [{ clientId: hostile, name: hostile, status: 'active', allowedScopes: [hostile] }],
    scopes: [{ scope: hostile, description: hostile }], issued: { key: hostile, apiKey: key }, notice: hostile, error,
    form: { name: hostile, clientId: hostile, expires: hostile }, apiUrl: hostile,
  }),
  usage: usagePage(viewer, partner, [{
    clientId: hostile, name: hostile, today: { requests: 1, rejected: 0 }, thisWeek: { requests: 2, rejected: 1 },
    days: [{ date: hostile, requests: 1, rejected: 0 }], dailyQuota: 10, quotaLeft: 9, quotaRenewsAt: at,
  }]),
};

test('no value can inject markup into any portal page', () => {
  for (const [name, page] of Object.entries(pages)) {
    assert.doesNotMatch(page, /<script>alert|<img src=x|onerror=alert\(2\)>/i, name);
    assert.doesNotMatch(page, /style=|<script>|javascript:/i, `${name}: no inline style or script`);
    assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/, name);
  }
});

test('the only script is the copy button\'s file, and only where a value is shown once', () => {
  for (const [name, page] of Object.entries(pages)) {
    const scripts = [...page.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    const expected = ['issued', 'signing', 'apiKeys'].includes(name) ? ['<script src="/assets/copy.js" defer>'] : [];
    assert.deepEqual(scripts, expected, name);
  }
});

test('every field has a label, and every form posts its CSRF token', () => {
  for (const [name, page] of Object.entries(pages)) {
    for (const [, id] of page.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g)) {
      assert.match(page, new RegExp(`<label (?:class="check" )?for="${id}">`), `${name}: #${id} has no label`);
    }
    const forms = [...page.matchAll(/<form method="post"[\s\S]*?<\/form>/g)].map((m) => m[0]);
    for (const form of forms) assert.match(form, /<input type="hidden" name="csrf" value="/, `${name}: a form without its CSRF token`);
    // Filter forms read, never change: they carry no token, which would end up in URLs and logs.
    const searches = [...page.matchAll(/<form method="get"[\s\S]*?<\/form>/g)].map((m) => m[0]);
    for (const form of searches) assert.doesNotMatch(form, /name="csrf"/, `${name}: a CSRF token in a GET form`);
    assert.equal(forms.length + searches.length, [...page.matchAll(/<form /g)].length, `${name}: every form says its method`);
  }
});
