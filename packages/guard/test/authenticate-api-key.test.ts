// The API-key step at the edges of a key's life: a key is refused from the very
// millisecond it expires (the registry shows it `expired` from that instant too),
// and whatever the lookup says, only the well-formed `Bearer psk_…` is looked up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isProblem } from '@passerelle/errors';
import type { ApiKeyGrant } from '../src/api-keys.ts';
import type { GuardContext } from '../src/context.ts';
import { apiKeyAuthenticator } from '../src/steps/authenticate-api-key.ts';

const key = `psk_${'k'.repeat(43)}`;
const at = Date.parse('2026-11-23T12:00:00Z');

function contextWith(authorization: string): GuardContext {
  return { get: (name: string) => (name === 'authorization' ? authorization : ''), state: { attempt: { credential: 'api_key' } } } as unknown as GuardContext;
}

async function outcome(grant: Partial<ApiKeyGrant>, authorization = `Bearer ${key}`): Promise<string> {
  const looked: string[] = [];
  const lookup = async (presented: string) => {
    looked.push(presented);
    return { keyId: 'k1', clientId: 'c1', partnerId: 'p1', scopes: ['orders:read'], expiresAt: undefined, revoked: false, ...grant };
  };
  try {
    await apiKeyAuthenticator(lookup, () => at)(contextWith(authorization));
    return 'accepted';
  } catch (err) {
    if (!isProblem(err)) throw err;
    return `${err.code}: ${err.detail ?? ''}${looked.length === 0 ? ' (not looked up)' : ''}`;
  }
}

test('a key is accepted up to the millisecond before its expiry, and refused from that millisecond on', async () => {
  assert.equal(await outcome({ expiresAt: at + 1 }), 'accepted');
  assert.equal(await outcome({ expiresAt: at }), 'invalid_token: the API key has expired');
  assert.equal(await outcome({ expiresAt: at - 1 }), 'invalid_token: the API key has expired');
});

test('a revoked key is refused even before its expiry', async () => {
  assert.equal(await outcome({ revoked: true, expiresAt: at + 60_000 }), 'invalid_token: the API key has been revoked');
});

test('a value that is not exactly a key is never looked up', async () => {
  for (const value of [`${key}x`, key.slice(0, -1), `psk_${'k'.repeat(42)}=`, `psk_${'k'.repeat(42)}.`]) {
    assert.equal(await outcome({}, `Bearer ${value}`), 'invalid_token: the API key is not valid (not looked up)', value);
  }
});
