// The API keys page: the partner's keys (never the keys themselves: a short
// display prefix), a form to create one for a client with scopes and an
// optional expiry, the one-time display of a new key, and revocation.
import { html } from '@passerelle/pages';
import { csrfField, layout, partnerPath, type PartnerInView, type Viewer } from './layout.ts';
import { badge, errorBox, onceBox, when, type FormError } from './parts.ts';

/** What the page shows of a key (a registry ApiKeyView has it). */
export interface ApiKeyRow {
  id: string;
  name: string;
  clientId: string;
  prefix: string;
  scopes: readonly string[];
  status: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface KeyClient {
  clientId: string;
  name: string;
  status: string;
  allowedScopes: readonly string[];
}

export interface ApiKeysPageOptions {
  viewer: Viewer;
  partner: PartnerInView;
  keys: readonly ApiKeyRow[];
  clients: readonly KeyClient[];
  /** Scopes a key may carry, with their words. */
  scopes: readonly { scope: string; description: string }[];
  issued?: { key: string; apiKey: ApiKeyRow } | undefined;
  notice?: string | undefined;
  error?: FormError | undefined;
  form?: { name?: string; clientId?: string; expires?: string } | undefined;
  apiUrl: string;
}

export function apiKeysPage(o: ApiKeysPageOptions): string {
  const base = partnerPath(o.partner, 'api-keys');
  const usable = o.clients.filter((c) => c.status === 'active');
  return layout({
    title: 'API keys', viewer: o.viewer, partner: o.partner, section: 'api-keys', copyScript: o.issued !== undefined,
    lead: html`An API key is sent as <code>Authorization: Bearer psk_…</code>. It acts as one of your clients: the same limits, IP allowlist, signature policy and signing key, with the scopes you choose.`,
    body: html`${o.issued ? onceBox('Store the API key now',
      'This is the only time the API key is shown. We keep only a one-way hash of it: if you lose it, revoke it and create another.',
      [{ id: 'api-key', label: 'API key', value: o.issued.key }],
      html`<p>Call the API with it (sign writes as on the <a href="${partnerPath(o.partner, 'signing')}">Signing</a> page, with the key of client <code>${o.issued.apiKey.clientId}</code>):</p>
<pre><code>curl -H "Authorization: Bearer $API_KEY" ${o.apiUrl}/v1/orders</code></pre>`) : ''}
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<section class="panel" aria-labelledby="keys-title">
<h2 id="keys-title">Your API keys</h2>
${o.keys.length === 0 ? html`<p>No API key yet.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Client</th><th scope="col">Scopes</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.keys.map((k) => html`<tr>
<td>${k.name}</td><td><code>${k.prefix}…</code></td><td><code>${k.clientId}</code></td><td>${k.scopes.join(' ')}</td>
<td>${badge(k.status)}</td><td>${k.expiresAt ? when(k.expiresAt) : 'never'}</td><td>${k.lastUsedAt ? when(k.lastUsedAt) : 'never'}</td>
<td>${k.status === 'active' ? html`<form method="post" action="${base}/${encodeURIComponent(k.id)}/revoke" class="inline">${csrfField(o.viewer)}<button type="submit">Revoke<span class="visually-hidden"> ${k.name}</span></button></form>` : ''}</td>
</tr>`)}
</tbody></table></div>`}
</section>
<section class="panel" aria-labelledby="create-key-title">
<h2 id="create-key-title">Create an API key</h2>
${usable.length === 0 ? html`<p>An API key acts as one of your clients: <a href="${partnerPath(o.partner, 'credentials')}">create a client</a> first.</p>` : html`${errorBox(o.error)}
<form method="post" action="${base}" class="stack">
${csrfField(o.viewer)}
<label for="key-name">Name</label>
<input id="key-name" name="name" type="text" required maxlength="120" value="${o.form?.name ?? ''}">
<label for="key-client">Acts as client</label>
<select id="key-client" name="clientId" aria-describedby="key-client-hint">
${usable.map((c) => html`<option value="${c.clientId}"${c.clientId === o.form?.clientId ? ' selected' : ''}>${c.name} (${c.clientId}): ${c.allowedScopes.join(' ')}</option>`)}
</select>
<p class="hint" id="key-client-hint">The key may carry only scopes this client has.</p>
<fieldset>
<legend>Scopes</legend>
${o.scopes.map((s, i) => html`<label class="check" for="key-scope-${i}"><input id="key-scope-${i}" type="checkbox" name="scopes" value="${s.scope}"> ${s.description} <code>${s.scope}</code></label>`)}
</fieldset>
<label for="key-expires">Expires on (optional)</label>
<input id="key-expires" name="expires" type="date" value="${o.form?.expires ?? ''}" aria-describedby="key-expires-hint">
<p class="hint" id="key-expires-hint">At 00:00 UTC that day. Empty: the key works until you revoke it.</p>
<button type="submit" class="primary">Create API key</button>
</form>`}
</section>`,
  });
}
