// Which API scopes a user may hold in a token for an app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiScopeNames } from '@passerelle/registry';
import { describeScope, userGrantable } from '../src/interactions/scopes.ts';

const registered = ['profile', 'partner:read', 'orders:read', 'orders:write', 'admin'];

test('a member of the app\'s partner may grant the partner scopes, never admin', () => {
  assert.deepEqual(userGrantable(registered, { partnerId: 'p1' }, 'p1'), ['profile', 'partner:read', 'orders:read', 'orders:write']);
});

test('a user of another partner, or of none, grants only what concerns the user', () => {
  assert.deepEqual(userGrantable(registered, { partnerId: 'p2' }, 'p1'), ['profile']);
  assert.deepEqual(userGrantable(registered, { partnerId: null }, 'p1'), ['profile']);
  assert.deepEqual(userGrantable(registered, { partnerId: null }, undefined), ['profile']);
});

test('every API scope and every OpenID scope has plain words for the consent page', () => {
  for (const scope of [...apiScopeNames, 'openid', 'offline_access', 'email']) {
    assert.notEqual(describeScope(scope), scope, scope);
  }
});
