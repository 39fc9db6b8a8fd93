// Disabling, deleting or rotating a client drops what the provider stored for
// it (grants, authorization codes, refresh tokens), and nothing of any other
// client's. Runs on the real store (Redis when REDIS_URL is set).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '@passerelle/store';
import { createAdapterFactory, purgeClientArtifacts } from '../src/adapter.ts';

let store: Store;

before(async () => {
  store = process.env['REDIS_URL']
    ? await openStore({ kind: 'redis', url: process.env['REDIS_URL'], keyPrefix: `passerelle-test:${randomBytes(6).toString('hex')}:` })
    : await openStore({ kind: 'memory' });
});
after(() => store.close());

test("purging a client drops its grants, codes and refresh tokens, and leaves other clients' alone", async () => {
  const adapter = createAdapterFactory(store.kv, async () => undefined);
  const [grants, codes, refresh] = [adapter('Grant'), adapter('AuthorizationCode'), adapter('RefreshToken')];
  await grants.upsert('grant-a', { clientId: 'ck_a', jti: 'grant-a' }, 3600);
  await codes.upsert('code-a', { clientId: 'ck_a', grantId: 'grant-a' }, 60);
  await refresh.upsert('refresh-a', { clientId: 'ck_a', grantId: 'grant-a' }, 86_400);
  await refresh.upsert('refresh-a2', { clientId: 'ck_a', grantId: 'grant-a2' }, 86_400);
  await grants.upsert('grant-b', { clientId: 'ck_b', jti: 'grant-b' }, 3600);
  await refresh.upsert('refresh-b', { clientId: 'ck_b', grantId: 'grant-b' }, 86_400);

  await purgeClientArtifacts(store.kv, 'ck_a');

  assert.equal(await grants.find('grant-a'), undefined);
  assert.equal(await codes.find('code-a'), undefined);
  assert.equal(await refresh.find('refresh-a'), undefined);
  assert.equal(await refresh.find('refresh-a2'), undefined);
  assert.equal((await grants.find('grant-b'))?.['clientId'], 'ck_b');
  assert.equal((await refresh.find('refresh-b'))?.['clientId'], 'ck_b');
  // purging again, or a client with nothing stored, is harmless
  await purgeClientArtifacts(store.kv, 'ck_a');
  await purgeClientArtifacts(store.kv, 'ck_none');
});
