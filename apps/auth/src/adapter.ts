// oidc-provider's storage. Clients come from the database through the registry,
// by way of a per-process cache that drops a client as soon as the revocation
// mirror hears it changed and keeps nothing longer than a second (see
// client-lookup.ts), so a client disabled by an admin is refused at once and an
// edit counts on the next request; every other artifact (grants, codes, sessions, interactions)
// lives in the shared store with its TTL. Every artifact that names a client
// is also indexed under that client, so disabling, deleting or rotating a
// client can drop its grants, codes and refresh tokens (`purgeClientArtifacts`).
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { KeyValueStore } from '@passerelle/store';

const key = (model: string, id: string) => `oidc:${model}:${id}`;
const grantKey = (grantId: string) => `oidc:grant:${grantId}`;
const uidKey = (uid: string) => `oidc:uid:${uid}`;
const userCodeKey = (code: string) => `oidc:user_code:${code}`;
const clientIndexKey = (clientId: string) => `oidc:client:${clientId}`;
/** Refresh tokens and grants may live this long (oidc-provider's default upper bounds). */
const INDEX_TTL_SECONDS = 14 * 86_400;

/** A usable client's metadata (itself and its partner active), or undefined. */
export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

class ClientAdapter implements Adapter {
  constructor(private readonly lookup: ClientLookup) {}

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.lookup(id);
  }

  async upsert(): Promise<void> { throw new Error('clients are managed through the registry'); }
  async findByUid(): Promise<undefined> { return undefined; }
  async findByUserCode(): Promise<undefined> { return undefined; }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

class StoreAdapter implements Adapter {
  constructor(private readonly kv: KeyValueStore, private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const ttl = expiresIn > 0 ? expiresIn : undefined;
    const k = key(this.model, id);
    await this.kv.set(k, JSON.stringify(payload), ttl);
    if (payload.grantId) await this.kv.addToSet(grantKey(payload.grantId), k, ttl ?? 14 * 86_400);
    if (payload.uid) await this.kv.set(uidKey(payload.uid), id, ttl);
    if (payload.userCode) await this.kv.set(userCodeKey(payload.userCode), id, ttl);
    if (typeof payload.clientId === 'string') {
      await this.kv.addToSet(clientIndexKey(payload.clientId), k, Math.max(ttl ?? INDEX_TTL_SECONDS, INDEX_TTL_SECONDS));
      if (payload.grantId) await this.kv.addToSet(clientIndexKey(payload.clientId), grantKey(payload.grantId), INDEX_TTL_SECONDS);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const raw = await this.kv.get(key(this.model, id));
    return raw === undefined ? undefined : (JSON.parse(raw) as AdapterPayload);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await this.kv.get(uidKey(uid));
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await this.kv.get(userCodeKey(userCode));
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const k = key(this.model, id);
    const [raw, ttl] = await Promise.all([this.kv.get(k), this.kv.ttl(k)]);
    if (raw === undefined) return;
    const payload = JSON.parse(raw) as AdapterPayload;
    payload.consumed = Math.floor(Date.now() / 1000);
    await this.kv.set(k, JSON.stringify(payload), ttl);
  }

  async destroy(id: string): Promise<void> {
    await this.kv.delete(key(this.model, id));
  }

  /** Called once per model for the same grant: deleting twice is harmless. */
  async revokeByGrantId(grantId: string): Promise<void> {
    const members = await this.kv.members(grantKey(grantId));
    await this.kv.delete(...members, grantKey(grantId));
  }
}

/**
 * Drops every stored grant, authorization code, refresh token and other
 * artifact issued to a client, and the grant indexes that point at them.
 */
export async function purgeClientArtifacts(kv: KeyValueStore, clientId: string): Promise<void> {
  const index = clientIndexKey(clientId);
  const members = await kv.members(index);
  const grantSets = members.filter((m) => m.startsWith('oidc:grant:'));
  const grantMembers = (await Promise.all(grantSets.map((g) => kv.members(g)))).flat();
  const keys = [...new Set([...members, ...grantMembers])];
  if (keys.length > 0) await kv.delete(...keys);
  await kv.delete(index);
}

/** Adapters for the models kept in the store (all but Client): enough to end a user's grants and sessions. */
export function storeAdapters(kv: KeyValueStore) {
  return (model: string): Adapter => new StoreAdapter(kv, model);
}

/** The adapter factory oidc-provider calls once per model name. */
export function createAdapterFactory(kv: KeyValueStore, clients: ClientLookup) {
  const stored = storeAdapters(kv);
  return (model: string): Adapter => (model === 'Client' ? new ClientAdapter(clients) : stored(model));
}
