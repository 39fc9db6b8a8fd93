// The sign-in page. Errors are one generic sentence whatever went wrong (unknown
// email, wrong password), announced to screen readers through role="alert".
import { html } from '@passerelle/pages';
import { layout } from './layout.ts';

export interface LoginPageOptions {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  email?: string | undefined;
  error?: string | undefined;
}

export function loginPage(o: LoginPageOptions): string {
  return layout({
    title: 'Sign in',
    lead: html`to continue to <strong>${o.clientName}</strong>`,
    body: html`${o.error ? html`<p class="error" role="alert" id="form-error">${o.error}</p>` : ''}
<form method="post" action="${o.action}" class="stack"${o.error ? html` aria-describedby="form-error"` : ''}>
<input type="hidden" name="csrf" value="${o.csrfToken}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus maxlength="254" value="${o.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit" class="primary">Sign in</button>
</form>
<form method="post" action="${o.abortAction}" class="secondary-form">
<input type="hidden" name="csrf" value="${o.csrfToken}">
<button type="submit" class="link">Cancel and return to ${o.clientName}</button>
</form>
<p class="fine"><a href="/account/password">Change your password</a></p>`,
  });
}
