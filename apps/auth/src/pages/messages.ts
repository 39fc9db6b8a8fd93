// The pages that only say something: errors, logout confirmation, signed out,
// password changed.
import { html, type Markup } from '@passerelle/pages';
import { layout } from './layout.ts';

export function errorPage(title: string, message: string): string {
  return layout({ title, body: html`<p class="error" role="alert">${message}</p>
<p class="fine">Return to the application you came from and try again.</p>` });
}

/** `form` is oidc-provider's hidden logout form (its action and xsrf token), passed through as markup. */
export function logoutPage(form: Markup, host: string): string {
  return layout({
    title: 'Sign out?',
    lead: html`You will be signed out of ${host} and every application you signed in to through it.`,
    body: html`${form}
<div class="actions">
<button type="submit" class="primary" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>
</div>`,
  });
}

export function signedOutPage(clientName: string | undefined): string {
  return layout({
    title: 'You are signed out',
    body: html`<p>${clientName ? html`Your session with <strong>${clientName}</strong> has ended.` : 'Your session has ended.'} You can close this window.</p>`,
  });
}

export function messagePage(title: string, message: string): string {
  return layout({ title, body: html`<p role="status">${message}</p>` });
}
