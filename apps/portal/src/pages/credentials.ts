// The Credentials pages: the partner's OAuth clients, a form to create one,
// the one-time display of a new consumer-secret, and a client's own page
// (rotate, disable or enable, IP allowlist). Every value is escaped by `html`.
import { html } from '@passerelle/pages';
import { grantTypes, type ClientView, type PartnerView } from '@passerelle/registry';
import { csrfField, layout, partnerPath, type Viewer } from './layout.ts';
import { badge, errorBox, onceBox, when, type FormError } from './parts.ts';

export interface CredentialsPageOptions {
  viewer: Viewer;
  partner: PartnerView;
  clients: readonly ClientView[];
  scopes: readonly { scope: string; description: string }[];
  error?: FormError | undefined;
  name?: string | undefined;
}

export function credentialsPage(o: CredentialsPageOptions): string {
  const base = partnerPath(o.partner, 'credentials');
  return layout({
    title: 'Credentials', viewer: o.viewer, partner: o.partner, section: 'credentials',
    lead: 'OAuth clients: each has a consumer-key and a consumer-secret, exchanged for short-lived access tokens at the token endpoint.',
    body: html`<section class="panel" aria-labelledby="clients-title">
<h2 id="clients-title">Your clients</h2>
${o.clients.length === 0 ? html`<p>No client yet. Create your first one below.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Name</th><th scope="col">Consumer-key</th><th scope="col">Scopes</th><th scope="col">Status</th><th scope="col">IP allowlist</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.clients.map((c) => html`<tr>
<td>${c.name}</td>
<td><code>${c.clientId}</code></td>
<td>${c.allowedScopes.join(' ')}</td>
<td>${badge(c.status)}</td>
<td>${c.ipAllowlist.length ? c.ipAllowlist.join(', ') : 'any address'}</td>
<td><a href="${base}/${encodeURIComponent(c.clientId)}">Manage<span class="visually-hidden"> ${c.name}</span></a></td>
</tr>`)}
</tbody></table></div>`}
</section>
<section class="panel" aria-labelledby="create-title">
<h2 id="create-title">Create a client</h2>
${errorBox(o.error)}
<form method="post" action="${base}" class="stack">
${csrfField(o.viewer)}
<label for="client-name">Name</label>
<input id="client-name" name="name" type="text" required maxlength="120" value="${o.name ?? ''}" aria-describedby="client-name-hint">
<p class="hint" id="client-name-hint">Something your team will recognise, such as “Warehouse backend”.</p>
<fieldset>
<legend>Scopes</legend>
${o.scopes.map((s, i) => html`<label class="check" for="scope-${i}"><input id="scope-${i}" type="checkbox" name="scopes" value="${s.scope}"> ${s.description} <code>${s.scope}</code></label>`)}
</fieldset>
<button type="submit" class="primary">Create client</button>
</form>
</section>`,
  });
}

export interface IssuedPageOptions {
  viewer: Viewer;
  partner: PartnerView;
  client: ClientView;
  consumerSecret: string;
  title: string;
  /** The auth service's public URL, for the token request example. */
  issuer: string;
  /** What happened to the previous secret, after a rotation. */
  note?: string | undefined;
}

export function issuedSecretPage(o: IssuedPageOptions): string {
  const back = partnerPath(o.partner, 'credentials', `/${encodeURIComponent(o.client.clientId)}`);
  return layout({
    title: o.title, viewer: o.viewer, partner: o.partner, section: 'credentials', copyScript: true,
    body: html`${o.note ? html`<p class="notice" role="status">${o.note}</p>` : ''}
${onceBox('Store the consumer-secret now',
    'This is the only time the consumer-secret is shown. We keep only a one-way hash of it: if you lose it, rotate the secret to get a new one.',
    [
      { id: 'consumer-key', label: 'Consumer-key', value: o.client.clientId },
      { id: 'consumer-secret', label: 'Consumer-secret', value: o.consumerSecret },
    ],
    html`<p>Exchange them for an access token:</p>
<pre><code>curl -u "${o.client.clientId}:$CONSUMER_SECRET" -d grant_type=client_credentials \\
  -d scope="${o.client.allowedScopes.join(' ')}" ${o.issuer.replace(/\/$/, '')}/token</code></pre>
<p><a href="${back}">I have stored it: go to the client</a></p>`)}`,
  });
}

export interface ClientPageOptions {
  viewer: Viewer;
  partner: PartnerView;
  client: ClientView;
  defaultGraceSeconds: number;
  /** Every API scope with its words: the admin's policy form offers all of them. */
  allScopes: readonly { scope: string; description: string }[];
  error?: FormError | undefined;
  notice?: string | undefined;
  ipAllowlistText?: string | undefined;
}

const graces = [
  { seconds: 0, label: 'None: the old secret stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
];

export function clientPage(o: ClientPageOptions): string {
  const c = o.client;
  const base = partnerPath(o.partner, 'credentials', `/${encodeURIComponent(c.clientId)}`);
  const bounds = o.partner.ipAllowlistBounds;
  return layout({
    title: c.name, viewer: o.viewer, partner: o.partner, section: 'credentials',
    body: html`<p><a href="${partnerPath(o.partner, 'credentials')}">← All credentials</a></p>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorBox(o.error)}
<section class="panel" aria-labelledby="facts-title">
<h2 id="facts-title">Client</h2>
<dl class="facts">
<dt>Consumer-key</dt><dd><code>${c.clientId}</code></dd>
<dt>Status</dt><dd>${badge(c.status)}</dd>
<dt>Scopes</dt><dd>${c.allowedScopes.join(' ')}</dd>
<dt>Grant types</dt><dd>${c.grantTypes.join(', ')}</dd>
<dt>Redirect URIs</dt><dd>${c.redirectUris.length ? c.redirectUris.join(' ') : 'none'}</dd>
<dt>Rate tier</dt><dd>${c.rateTier}${c.dailyQuota ? html`, ${c.dailyQuota} requests per day` : ''}</dd>
<dt>Signatures required</dt><dd>${{ off: 'never', writes: 'on writes (POST, PUT, PATCH, DELETE)', all: 'on every request' }[c.signaturePolicy]}</dd>
<dt>Previous secret</dt><dd>${c.secretGraceEndsAt ? html`still accepted until ${when(c.secretGraceEndsAt)}
<form method="post" action="${base}/end-grace" class="inline">${csrfField(o.viewer)}<button type="submit">Stop the previous secret now</button></form>` : 'none'}</dd>
<dt>Created</dt><dd>${when(c.createdAt)}</dd>
</dl>
</section>
<section class="panel" aria-labelledby="rotate-title">
<h2 id="rotate-title">Rotate the consumer-secret</h2>
<p>You get a new secret, shown once. During the grace period the old secret keeps working, so you can deploy the new one without downtime; when it ends, the old secret and every token issued before stop working.</p>
<form method="post" action="${base}/rotate" class="row">
${csrfField(o.viewer)}
<div class="stack"><label for="grace">Grace period</label>
<select id="grace" name="graceSeconds">
${graces.map((g) => html`<option value="${g.seconds}"${g.seconds === o.defaultGraceSeconds ? ' selected' : ''}>${g.label}</option>`)}
</select></div>
<button type="submit" class="primary">Rotate secret</button>
</form>
</section>
<section class="panel" aria-labelledby="ip-title">
<h2 id="ip-title">IP allowlist</h2>
<p>Addresses or CIDR ranges this client may be used from, one per line. Empty: any address.</p>
${bounds.length ? html`<p class="notice">Your administrator allows only addresses within <code>${bounds.join(', ')}</code>.</p>` : ''}
<form method="post" action="${base}/ip-allowlist" class="stack">
${csrfField(o.viewer)}
<label for="ip-allowlist">Allowed addresses</label>
<textarea id="ip-allowlist" name="ipAllowlist" rows="4" aria-describedby="ip-hint" spellcheck="false">${o.ipAllowlistText ?? c.ipAllowlist.join('\n')}</textarea>
<p class="hint" id="ip-hint">For example <code>203.0.113.0/24</code> or <code>2001:db8::/48</code>.</p>
<button type="submit" class="primary">Save allowlist</button>
</form>
</section>
${o.viewer.isAdmin ? settingsForm(o, base) : ''}
<section class="panel danger-zone" aria-labelledby="status-title">
<h2 id="status-title">${c.status === 'active' ? 'Disable this client' : 'Enable this client'}</h2>
${c.status === 'active'
    ? html`<p>Disabling stops the client at once: the token endpoint refuses it and every token it holds stops working within a second. You can enable it again later; its tokens do not come back.</p>
<form method="post" action="${base}/disable">${csrfField(o.viewer)}<button type="submit">Disable client</button></form>`
    : html`<p>This client is disabled. Enabling it lets it obtain new tokens again.</p>
<form method="post" action="${base}/enable">${csrfField(o.viewer)}<button type="submit" class="primary">Enable client</button></form>`}
${o.viewer.isAdmin ? html`<h3>Delete (administrators)</h3>
<p>Deleting removes the client for good and ends its tokens. Its audit trail stays.</p>
<form method="post" action="${base}/delete">${csrfField(o.viewer)}<button type="submit">Delete client</button></form>` : ''}
</section>`,
  });
}

const grantLabels: Record<(typeof grantTypes)[number], string> = {
  client_credentials: 'Client credentials (server to server)',
  authorization_code: 'Authorization code with PKCE (on behalf of a user)',
  refresh_token: 'Refresh tokens',
};

/** What only an administrator sets (the admin API's PATCH /clients/{id}): name, grants, redirect URIs, scopes beyond the partner's, rate tier, quota, signatures, Basic fallback. */
function settingsForm(o: ClientPageOptions, base: string) {
  const c = o.client;
  return html`<section class="panel" aria-labelledby="policy-title">
<h2 id="policy-title">Settings and policy (administrators)</h2>
<form method="post" action="${base}/settings" class="stack">
${csrfField(o.viewer)}
<label for="settings-name">Name</label>
<input id="settings-name" name="name" type="text" required maxlength="120" value="${c.name}">
<fieldset>
<legend>Grant types</legend>
${grantTypes.map((g) => html`<label class="check" for="grant-${g}"><input id="grant-${g}" type="checkbox" name="grantTypes" value="${g}"${c.grantTypes.includes(g) ? ' checked' : ''}> ${grantLabels[g]} <code>${g}</code></label>`)}
</fieldset>
<label for="redirect-uris">Redirect URIs, one per line</label>
<textarea id="redirect-uris" name="redirectUris" rows="3" spellcheck="false" aria-describedby="redirect-uris-hint">${c.redirectUris.join('\n')}</textarea>
<p class="hint" id="redirect-uris-hint">https only (http for loopback); needed with the authorization code grant.</p>
<fieldset>
<legend>Scopes</legend>
${o.allScopes.map((s, i) => html`<label class="check" for="policy-scope-${i}"><input id="policy-scope-${i}" type="checkbox" name="scopes" value="${s.scope}"${c.allowedScopes.includes(s.scope) ? ' checked' : ''}> ${s.description} <code>${s.scope}</code></label>`)}
</fieldset>
<label for="rate-tier">Rate tier</label>
<select id="rate-tier" name="rateTier">
${(['basic', 'standard', 'premium'] as const).map((t) => html`<option value="${t}"${t === c.rateTier ? ' selected' : ''}>${t}</option>`)}
</select>
<label for="daily-quota">Daily quota (requests per UTC day)</label>
<input id="daily-quota" name="dailyQuota" type="number" min="1" max="100000000" value="${c.dailyQuota ?? ''}" aria-describedby="daily-quota-hint">
<p class="hint" id="daily-quota-hint">Empty: the rate tier's quota.</p>
<label for="signature-policy">Signatures required</label>
<select id="signature-policy" name="signaturePolicy">
${(['off', 'writes', 'all'] as const).map((p) => html`<option value="${p}"${p === c.signaturePolicy ? ' selected' : ''}>${{ off: 'never', writes: 'on writes', all: 'on every request' }[p]}</option>`)}
</select>
<label class="check" for="basic-fallback"><input id="basic-fallback" type="checkbox" name="basicAuthFallback" value="on"${c.basicAuthFallback ? ' checked' : ''}> Accept the deprecated HTTP Basic fallback on the API</label>
<button type="submit" class="primary">Save settings</button>
</form>
</section>`;
}
