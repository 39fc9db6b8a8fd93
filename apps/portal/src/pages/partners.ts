// The admin's pages: every partner, and a partner's settings (name, IP-allowlist bounds).
import { html } from '@passerelle/pages';
import type { PartnerView } from '@passerelle/registry';
import { csrfField, layout, partnerPath, type Viewer } from './layout.ts';
import { badge, errorBox, type FormError } from './parts.ts';

export function partnersPage(viewer: Viewer, partners: readonly PartnerView[], extra: { error?: FormError | undefined; notice?: string | undefined; form?: { slug: string; name: string } | undefined } = {}): string {
  return layout({
    title: 'Partners', viewer,
    lead: 'As an administrator you see every partner. Choose one to manage its credentials.',
    body: html`${extra.notice ? html`<p class="notice" role="status">${extra.notice}</p>` : ''}
<section class="panel"><div class="table-scroll"><table>
<thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Status</th><th scope="col">IP allowlist bounds</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${partners.map((p) => html`<tr><td>${p.name}</td><td><code>${p.slug}</code></td><td>${badge(p.status)}</td>
<td>${p.ipAllowlistBounds.length ? p.ipAllowlistBounds.join(', ') : 'none'}</td>
<td><a href="${partnerPath(p, 'credentials')}">Credentials<span class="visually-hidden"> of ${p.name}</span></a> · <a href="/partners/${encodeURIComponent(p.slug)}/settings">Settings<span class="visually-hidden"> of ${p.name}</span></a>
<form method="post" action="/partners/${encodeURIComponent(p.slug)}/${p.status === 'active' ? 'disable' : 'enable'}" class="inline">${csrfField(viewer)}<button type="submit">${p.status === 'active' ? 'Disable' : 'Enable'}<span class="visually-hidden"> ${p.name}</span></button></form></td></tr>`)}
</tbody></table></div></section>
<section class="panel" aria-labelledby="new-partner-title">
<h2 id="new-partner-title">Add a partner</h2>
${errorBox(extra.error)}
<form method="post" action="/partners" class="stack">
${csrfField(viewer)}
<label for="partner-name">Name</label>
<input id="partner-name" name="name" type="text" required maxlength="120" value="${extra.form?.name ?? ''}">
<label for="partner-slug">Slug</label>
<input id="partner-slug" name="slug" type="text" required maxlength="63" pattern="[a-z0-9][a-z0-9-]*" value="${extra.form?.slug ?? ''}" aria-describedby="partner-slug-hint">
<p class="hint" id="partner-slug-hint">Lowercase letters, digits and dashes; it appears in URLs and cannot change.</p>
<button type="submit" class="primary">Add partner</button>
</form>
</section>`,
  });
}

export interface PartnerSettingsExtra {
  error?: FormError | undefined;
  notice?: string | undefined;
  /** What the admin typed, shown again after a refusal. */
  name?: string | undefined;
  text?: string | undefined;
}

export function partnerSettingsPage(viewer: Viewer, partner: PartnerView, extra: PartnerSettingsExtra = {}): string {
  const base = `/partners/${encodeURIComponent(partner.slug)}`;
  return layout({
    title: 'Partner settings', viewer, partner,
    lead: html`${partner.name}’s name, and the ranges its own users may set their clients’ IP allowlists within.`,
    body: html`${extra.notice ? html`<p class="notice" role="status">${extra.notice}</p>` : ''}
${errorBox(extra.error)}
<section class="panel" aria-labelledby="name-title">
<h2 id="name-title">Name</h2>
<form method="post" action="${base}/name" class="stack">
${csrfField(viewer)}
<label for="partner-name">Display name</label>
<input id="partner-name" name="name" type="text" required maxlength="120" value="${extra.name ?? partner.name}" aria-describedby="partner-name-hint">
<p class="hint" id="partner-name-hint">The slug <code>${partner.slug}</code> stays: it appears in URLs.</p>
<button type="submit" class="primary">Rename partner</button>
</form>
</section>
<section class="panel" aria-labelledby="bounds-title">
<h2 id="bounds-title">IP allowlist bounds</h2>
<p>Empty: no bound. Administrators are not bound.</p>
<form method="post" action="${base}/bounds" class="stack">
${csrfField(viewer)}
<label for="bounds">Allowed ranges, one per line</label>
<textarea id="bounds" name="bounds" rows="4" spellcheck="false">${extra.text ?? partner.ipAllowlistBounds.join('\n')}</textarea>
<button type="submit" class="primary">Save bounds</button>
</form>
</section>`,
  });
}
