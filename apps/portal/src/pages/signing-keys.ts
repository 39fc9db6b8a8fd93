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
  return layout({
    title: 'Token-signing keys', viewer: o.viewer,
    lead: 'The keys the auth service signs access tokens with. A new key is published at once and signs after its activation delay, so every API instance knows it first; the key it replaces stays published until its tokens have expired.',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorBox(o.error)}
<section class="panel" aria-labelledby="keys-title">
<h2 id="keys-title">Keys</h2>
${o.keys.length === 0 ? html`<p>No key yet: the auth service creates one when it first starts.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Key id</th><th scope="col">Status</th><th scope="col">Activates</th><th scope="col">Retires</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.keys.map((k, i) => html`<tr><td><code>${k.kid}</code>${k.signing ? html` <strong>signing now</strong>` : ''}</td><td>${badge(k.status)}</td>
<td>${when(k.activatedAt ?? k.activatesAt)}</td><td>${when(k.retiredAt ?? k.retiresAt)}</td><td>${when(k.createdAt)}</td>
<td>${k.status === 'retired' || k.signing ? '' : html`<form method="post" action="/signing-keys/${encodeURIComponent(k.kid)}/retire" class="inline">${csrfField(o.viewer)}
<label class="check" for="force-${i}"><input id="force-${i}" type="checkbox" name="force" value="on"> even if its tokens may still be valid (compromised key)</label>
<button type="submit">Retire<span class="visually-hidden"> ${k.kid}</span></button></form>`}</td></tr>`)}
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
</section>`,
  });
}
