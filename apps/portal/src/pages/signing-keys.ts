// The admin's page of the auth service's token-signing keys: their schedule
// (staged → active → retired), a rotation with its activation delay, and
// retirement. No private part is ever read for this page.
import type { SigningKeyView } from '@passerelle/keys';
import { html } from '@passerelle/pages';
import { csrfField, layout, type Viewer } from './layout.ts';
import { badge, errorBox, when, type FormError } from './parts.ts';

export interface SigningKeysPageOptions {
  viewer: Viewer;
  keys: readonly (SigningKeyView & { signing: boolean })[];
  activationDelaySeconds: number;
  error?: FormError | undefined;
  notice?: string | undefined;
  /** The delay as typed, shown again after a refusal. */
  delayText?: string | undefined;
}

export function signingKeysPage(o: SigningKeysPageOptions): string {
  const retirable = o.keys.filter((k) => k.status !== 'retired' && !k.signing);
  return layout({
    title: 'Token-signing keys', viewer: o.viewer,
    lead: 'The keys the auth service signs access tokens with. A new key is published at once and signs after its activation delay, so every API instance knows it first; the key it replaces stays published until its tokens have expired.',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorBox(o.error)}
<section class="panel" aria-labelledby="keys-title">
<h2 id="keys-title">Keys</h2>
${o.keys.length === 0 ? html`<p>No key yet: the auth service creates one when it first starts.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Key id</th><th scope="col">Status</th><th scope="col">Activates</th><th scope="col">Retires</th><th scope="col">Created</th></tr></thead>
<tbody>
${o.keys.map((k) => html`<tr><td><code>${k.kid}</code>${k.signing ? html` <strong>signing now</strong>` : ''}</td><td>${badge(k.status)}</td>
<td>${when(k.activatedAt ?? k.activatesAt)}</td><td>${when(k.retiredAt ?? k.retiresAt)}</td><td>${when(k.createdAt)}</td></tr>`)}
</tbody></table></div>`}
</section>
<section class="panel" aria-labelledby="rotate-keys-title">
<h2 id="rotate-keys-title">Rotate</h2>
<p>One rotation at a time: retire a staged key to cancel its rotation.</p>
<form method="post" action="/signing-keys/rotate" class="stack">
${csrfField(o.viewer)}
<label for="activate-in">Activation delay, seconds</label>
<input id="activate-in" name="activateInSeconds" type="number" min="0" max="2592000" inputmode="numeric" value="${o.delayText ?? ''}" placeholder="${String(o.activationDelaySeconds)}" aria-describedby="activate-in-hint">
<p class="hint" id="activate-in-hint">Empty: ${o.activationDelaySeconds} seconds (KEY_ACTIVATION_DELAY). Keep it above the API's JWKS cache age plus the key refresh interval; 0 only for a compromised key.</p>
<button type="submit" class="primary">Rotate the signing key</button>
</form>
</section>
${retirable.length ? html`<section class="panel danger-zone" aria-labelledby="retire-keys-title">
<h2 id="retire-keys-title">Retire a key</h2>
<p>A staged key: its rotation is cancelled. A superseded key: it leaves the JWKS before it would on its own. The key signing now cannot be retired: rotate first.</p>
<form method="post" action="/signing-keys/retire" class="stack">
${csrfField(o.viewer)}
<label for="retire-kid">Key</label>
<select id="retire-kid" name="kid">
${retirable.map((k) => html`<option value="${k.kid}">${k.kid} (${k.status})</option>`)}
</select>
<label class="check" for="retire-force"><input id="retire-force" type="checkbox" name="force" value="on"> Even if tokens it signed may still be valid (a compromised key)</label>
<button type="submit">Retire the key</button>
</form>
</section>` : ''}`,
  });
}
