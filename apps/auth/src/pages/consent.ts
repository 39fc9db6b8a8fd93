// The consent page: the client's name, the signed-in user, and each permission
// in plain words. Nothing is pre-ticked or hidden: the user allows all of the
// listed permissions or none.
import { html } from '@passerelle/pages';
import { layout } from './layout.ts';

export interface ConsentPageOptions {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  userEmail: string;
  permissions: readonly { scope: string; description: string }[];
}

export function consentPage(o: ConsentPageOptions): string {
  return layout({
    title: 'Allow access?',
    lead: html`<strong>${o.clientName}</strong> asks to access your account <strong>${o.userEmail}</strong>.`,
    body: html`<h2 id="permissions-title">It will be able to</h2>
<ul class="permissions" aria-labelledby="permissions-title">
${o.permissions.map((p) => html`<li><span>${p.description}</span> <code>${p.scope}</code></li>`)}
</ul>
<p class="fine">You can sign out at any time; signing out ends this access.</p>
<div class="actions">
<form method="post" action="${o.action}">
<input type="hidden" name="csrf" value="${o.csrfToken}">
<button type="submit" class="primary" autofocus>Allow</button>
</form>
<form method="post" action="${o.abortAction}">
<input type="hidden" name="csrf" value="${o.csrfToken}">
<button type="submit">Deny</button>
</form>
</div>`,
  });
}
