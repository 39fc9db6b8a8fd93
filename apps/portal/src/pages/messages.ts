// Pages that only say something: the welcome page, errors, signed out.
import { html } from '@passerelle/pages';
import { layout, type Viewer } from './layout.ts';

export function welcomePage(): string {
  return layout({
    title: 'API settings',
    lead: 'Manage your organization’s API credentials: OAuth clients, API keys, request signing, usage and audit.',
    body: html`<section class="panel">
<p>Sign in with your Passerelle account to create OAuth clients and API keys, read your signing keys, and see your usage and audit trail.</p>
<p><a class="button-link" href="/login">Sign in</a></p>
<p class="fine">No account yet? Your Passerelle contact creates one for your organization.</p>
</section>`,
  });
}

export function signedOutPage(): string {
  return layout({ title: 'You are signed out', body: html`<p role="status">Your portal session has ended.</p><p><a href="/login">Sign in again</a></p>` });
}

export function errorPage(status: number, title: string, message: string, viewer?: Viewer): string {
  return layout({
    title, viewer,
    body: html`<p class="error" role="alert">${message}</p>
<p class="fine">${status === 404 ? html`<a href="/">Go to your API settings</a>` : html`<a href="/">Back to the start</a>`}</p>`,
  });
}

export function noPartnerPage(viewer: Viewer): string {
  return layout({
    title: 'No organization yet', viewer,
    body: html`<p>Your account is not linked to a partner organization, so there is nothing to manage here yet.
Ask your Passerelle administrator to add you to your organization.</p>`,
  });
}
