// The admin's list of every partner's API keys (never a key itself: its
// display prefix), filtered by partner and status; each row leads to the
// partner's own API keys page, where keys are created and revoked.
import { html } from '@passerelle/pages';
import type { ApiKeyView, PartnerView } from '@passerelle/registry';
import { layout, partnerPath, type Viewer } from './layout.ts';
import { badge, errorBox, queryOf, when, type FormError } from './parts.ts';

export interface AllApiKeysPageOptions {
  viewer: Viewer;
  keys: readonly ApiKeyView[];
  nextCursor?: string | undefined;
  partners: readonly PartnerView[];
  filters: { partner: string; status: string };
  error?: FormError | undefined;
}

export function allApiKeysPage(o: AllApiKeysPageOptions): string {
  const partnerOf = (key: ApiKeyView) => o.partners.find((p) => p.id === key.partnerId);
  const more = o.nextCursor ? queryOf({ ...o.filters, cursor: o.nextCursor }) : '';
  return layout({
    title: 'API keys', viewer: o.viewer,
    lead: 'Every partner\'s API keys. To create or revoke one, open the partner\'s own API keys page.',
    body: html`<section class="panel" aria-labelledby="key-filters-title">
<h2 id="key-filters-title">Filters</h2>
${errorBox(o.error)}
<form method="get" action="/api-keys" class="row">
<div class="stack"><label for="keys-partner">Partner</label>
<select id="keys-partner" name="partner">
<option value="">Every partner</option>
${o.partners.map((p) => html`<option value="${p.slug}"${p.slug === o.filters.partner ? ' selected' : ''}>${p.name}</option>`)}
</select></div>
<div class="stack"><label for="keys-status">Status</label>
<select id="keys-status" name="status">
${['', 'active', 'expired', 'revoked'].map((s) => html`<option value="${s}"${s === o.filters.status ? ' selected' : ''}>${s || 'Any'}</option>`)}
</select></div>
<button type="submit">Filter</button>
</form>
</section>
<section class="panel" aria-labelledby="all-keys-title">
<h2 id="all-keys-title">Keys</h2>
${o.keys.length === 0 ? html`<p>No API key.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Partner</th><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Client</th><th scope="col">Scopes</th><th scope="col">Status</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.keys.map((k) => {
    const partner = partnerOf(k);
    return html`<tr><td>${partner?.name ?? '—'}</td><td>${k.name}</td><td><code>${k.prefix}…</code></td><td><code>${k.clientId}</code></td><td>${k.scopes.join(' ')}</td><td>${badge(k.status)}</td><td>${when(k.lastUsedAt)}</td>
<td>${partner ? html`<a href="${partnerPath(partner, 'api-keys')}">Manage<span class="visually-hidden"> ${k.name} of ${partner.name}</span></a>` : ''}</td></tr>`;
  })}
</tbody></table></div>`}
${more ? html`<p><a href="/api-keys?${more}">More keys</a></p>` : ''}
</section>`,
  });
}
