// The admin's user pages: every user with a form to create one, and one user
// (reset the password, disable or enable). No page shows a password back.
import type { UserView } from '@passerelle/accounts';
import { html } from '@passerelle/pages';
import type { PartnerView } from '@passerelle/registry';
import { csrfField, layout, type Viewer } from './layout.ts';
import { badge, errorBox, queryOf, when, type FormError } from './parts.ts';

/** What the admin typed in the create form, shown again after a refusal (never the password). */
export interface NewUserForm {
  email: string;
  name: string;
  partner: string;
  role: string;
}

export interface UsersPageOptions {
  viewer: Viewer;
  users: readonly UserView[];
  nextCursor?: string | undefined;
  partners: readonly PartnerView[];
  /** The partner slug the list is filtered on. */
  partnerFilter?: string | undefined;
  error?: FormError | undefined;
  notice?: string | undefined;
  form?: NewUserForm | undefined;
}

const userPath = (user: UserView) => `/users/${encodeURIComponent(user.id)}`;

function partnerOf(partners: readonly PartnerView[], user: UserView): string {
  if (!user.partnerId) return '—';
  return partners.find((p) => p.id === user.partnerId)?.name ?? 'Passerelle';
}

export function usersPage(o: UsersPageOptions): string {
  const form = o.form ?? { email: '', name: '', partner: '', role: 'member' };
  return layout({
    title: 'Users', viewer: o.viewer,
    lead: 'Who may sign in to the portal. A member sees their own partner only; an administrator sees every partner.',
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
<section class="panel" aria-labelledby="users-title">
<h2 id="users-title">Users</h2>
<form method="get" action="/users" class="row">
<div class="stack"><label for="filter-partner">Show the users of</label>
<select id="filter-partner" name="partner">
<option value="">Every partner</option>
${o.partners.map((p) => html`<option value="${p.slug}"${p.slug === o.partnerFilter ? ' selected' : ''}>${p.name}</option>`)}
</select></div>
<button type="submit">Filter</button>
</form>
${o.users.length === 0 ? html`<p>No user.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Partner</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.users.map((u) => html`<tr><td>${u.email}</td><td>${u.name}</td><td>${u.role}</td><td>${partnerOf(o.partners, u)}</td><td>${badge(u.status)}</td>
<td><a href="${userPath(u)}">Manage<span class="visually-hidden"> ${u.email}</span></a></td></tr>`)}
</tbody></table></div>`}
${o.nextCursor ? html`<p><a href="/users?${queryOf({ partner: o.partnerFilter, cursor: o.nextCursor })}">More users</a></p>` : ''}
</section>
<section class="panel" aria-labelledby="new-user-title">
<h2 id="new-user-title">Create a user</h2>
${errorBox(o.error)}
<form method="post" action="/users" class="stack">
${csrfField(o.viewer)}
<label for="user-email">Email</label>
<input id="user-email" name="email" type="email" required maxlength="254" autocomplete="off" value="${form.email}">
<label for="user-name">Name</label>
<input id="user-name" name="name" type="text" required maxlength="120" autocomplete="off" value="${form.name}">
<label for="user-password">Password</label>
<input id="user-password" name="password" type="password" required minlength="12" maxlength="256" autocomplete="new-password" aria-describedby="user-password-hint">
<p class="hint" id="user-password-hint">At least 12 characters. It is not shown again: give it to the user by a channel of your own.</p>
<label for="user-role">Role</label>
<select id="user-role" name="role">
${(['member', 'admin'] as const).map((r) => html`<option value="${r}"${r === form.role ? ' selected' : ''}>${r === 'member' ? 'Member: their partner only' : 'Administrator: every partner'}</option>`)}
</select>
<label for="user-partner">Partner</label>
<select id="user-partner" name="partner">
<option value="">None</option>
${o.partners.map((p) => html`<option value="${p.slug}"${p.slug === form.partner ? ' selected' : ''}>${p.name}</option>`)}
</select>
<button type="submit" class="primary">Create user</button>
</form>
</section>`,
  });
}

export interface UserPageOptions {
  viewer: Viewer;
  user: UserView;
  partner?: PartnerView | undefined;
  error?: FormError | undefined;
  notice?: string | undefined;
}

export function userPage(o: UserPageOptions): string {
  const u = o.user;
  const base = userPath(u);
  return layout({
    title: u.email, viewer: o.viewer,
    body: html`<p><a href="/users">← All users</a></p>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
${errorBox(o.error)}
<section class="panel" aria-labelledby="user-title">
<h2 id="user-title">User</h2>
<dl class="facts">
<dt>Name</dt><dd>${u.name}</dd>
<dt>Role</dt><dd>${u.role}</dd>
<dt>Partner</dt><dd>${o.partner ? o.partner.name : u.partnerId ? 'Passerelle' : '—'}</dd>
<dt>Status</dt><dd>${badge(u.status)}</dd>
<dt>Password changed</dt><dd>${when(u.passwordChangedAt)}</dd>
<dt>Created</dt><dd>${when(u.createdAt)}</dd>
</dl>
</section>
<section class="panel" aria-labelledby="reset-title">
<h2 id="reset-title">Reset the password</h2>
<p>Every session, grant and token of this user ends now; they sign in again with the new password.</p>
<form method="post" action="${base}/reset-password" class="stack">
${csrfField(o.viewer)}
<label for="new-password">New password</label>
<input id="new-password" name="password" type="password" required minlength="12" maxlength="256" autocomplete="new-password">
<button type="submit" class="primary">Reset password</button>
</form>
</section>
<section class="panel danger-zone" aria-labelledby="user-status-title">
<h2 id="user-status-title">${u.status === 'active' ? 'Disable this user' : 'Enable this user'}</h2>
${u.status === 'active'
    ? html`<p>They can no longer sign in, and every session, grant and token they hold ends.</p>
<form method="post" action="${base}/disable">${csrfField(o.viewer)}<button type="submit">Disable user</button></form>`
    : html`<p>This user is disabled. Enabling them lets them sign in again.</p>
<form method="post" action="${base}/enable">${csrfField(o.viewer)}<button type="submit" class="primary">Enable user</button></form>`}
</section>`,
  });
}
