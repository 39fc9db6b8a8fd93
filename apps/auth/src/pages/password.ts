// The password-change page. It asks for the current password (nobody changes a
// password from an unattended session) and says what a change does.
import { html } from '@passerelle/pages';
import { layout } from './layout.ts';

export interface PasswordPageOptions {
  csrfToken: string;
  email?: string | undefined;
  error?: string | undefined;
  fieldErrors?: readonly string[] | undefined;
}

export function passwordPage(o: PasswordPageOptions): string {
  return layout({
    title: 'Change your password',
    lead: 'Changing your password signs you out everywhere and ends every application’s access to your account.',
    body: html`${o.error ? html`<div class="error" role="alert" id="form-error"><p>${o.error}</p>${o.fieldErrors?.length ? html`<ul>${o.fieldErrors.map((e) => html`<li>${e}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/account/password" class="stack">
<input type="hidden" name="csrf" value="${o.csrfToken}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus maxlength="254" value="${o.email ?? ''}">
<label for="current-password">Current password</label>
<input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="256">
<label for="new-password">New password</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minlength="12" maxlength="256" aria-describedby="new-password-hint">
<p class="hint" id="new-password-hint">At least 12 characters. A few unrelated words make a strong password.</p>
<button type="submit" class="primary">Change password</button>
</form>`,
  });
}
