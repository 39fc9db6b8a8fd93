// Who may see what, before any route runs:
// - `identify`: the session cookie → the session in the store → the user, read
//   again on every request, so a disabled user or a changed role counts at once,
//   and a password changed since the sign-in ends the session (as it ends every
//   session and token at the auth service), as does the user's or the portal
//   client's "not before" on the revocation list (sign out everywhere, an
//   operator's disable or reset): the portal never acts on a revoked sign-in;
// - `requireUser`: pages need a signed-in user (GET → the sign-in, else 401);
// - `partnerScope`: /partners/:slug/… shows the partner to an admin, or to a
//   member of that very partner; anyone else gets the same 404 as for a partner
//   that does not exist, so an id edited in a URL reveals nothing. A member of
//   a disabled partner is refused (403) on every page and form, read on every
//   request: a session opened before the partner was disabled acts no more;
// - `adminOnly`: admin pages and actions are 404 to members, for the same reason;
// - `requireCsrf`: every POST carries the CSRF token bound to its session; a
//   refusal is a security event (auth.refused, reason csrf).
import type { Next } from 'koa';
import type { Accounts } from '@passerelle/accounts';
import { Problem } from '@passerelle/errors';
import { securityEvent, type Logger } from '@passerelle/log';
import type { Csrf } from '@passerelle/pages';
import { FIRST_PARTY_SLUG, type Registry } from '@passerelle/registry';
import type { RevocationMirror } from '@passerelle/revocation';
import type { CookieNames } from './session/cookies.ts';
import type { PortalSession, Sessions } from './session/sessions.ts';
import type { PortalContext } from './state.ts';

export interface IdentifyOptions {
  sessions: Sessions;
  accounts: Pick<Accounts, 'findActiveUser'>;
  /** The revocation list the auth service writes: a user's (or this client's) "not before" ends older sessions. */
  revocation: Pick<RevocationMirror, 'isRevoked'>;
  /** The portal's own consumer-key at the auth service. */
  clientId: string;
  cookies: CookieNames;
  csrf: Csrf;
}

export function identify({ sessions, accounts, revocation, clientId, cookies, csrf }: IdentifyOptions) {
  const revoked = (session: PortalSession) => revocation.isRevoked({
    jti: session.id, iat: Math.floor(session.createdAt / 1000), clientId, userId: session.userId,
  });
  return async function identifyViewer(ctx: PortalContext, next: Next): Promise<void> {
    const handle = ctx.cookies.get(cookies.session);
    const session = await sessions.find(handle);
    const found = session && !revoked(session) ? await accounts.findActiveUser(session.userId) : undefined;
    const user = found && session && found.passwordChangedAt.getTime() <= session.createdAt ? found : undefined;
    if (session && !user) await sessions.destroy(handle);
    if (session && user) {
      ctx.state.sessionHandle = handle;
      ctx.state.session = session;
      ctx.state.user = user;
      ctx.state.viewer = { email: user.email, isAdmin: user.role === 'admin', csrfToken: csrf.issue(ctx, session.id) };
    }
    await next();
  };
}

export async function requireUser(ctx: PortalContext, next: Next): Promise<void> {
  if (ctx.state.user) return next();
  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    ctx.status = 303;
    return ctx.redirect('/login');
  }
  throw new Problem('authentication_required', { detail: 'Your session has ended. Sign in again.' });
}

export function partnerScope(registry: Pick<Registry, 'getPartner'>) {
  return async function loadPartner(ctx: PortalContext, next: Next): Promise<void> {
    const user = ctx.state.user!;
    const slug = ctx.params['slug'] ?? '';
    // The portal's own partner is not managed from the portal: changing its client would lock everyone out.
    if (slug === FIRST_PARTY_SLUG) throw new Problem('not_found', { detail: `no partner "${slug}"` });
    const partner = await registry.getPartner(slug);
    if (user.role !== 'admin' && partner.id !== user.partnerId) throw new Problem('not_found', { detail: `no partner "${slug}"` });
    if (user.role !== 'admin' && partner.status !== 'active') {
      throw new Problem('forbidden', { detail: 'Your organisation\'s access to Passerelle is suspended. Ask your Passerelle contact to enable it again.' });
    }
    ctx.state.partner = partner;
    await next();
  };
}

export async function adminOnly(ctx: PortalContext, next: Next): Promise<void> {
  if (ctx.state.user?.role !== 'admin') throw new Problem('not_found');
  await next();
}

/** requireCsrf on POST only: pages (GET) carry no token to check. */
export function requireCsrfOnPost(csrf: Csrf, log: Logger) {
  const check = requireCsrf(csrf, log);
  return function csrfOnPost(ctx: PortalContext, next: Next): Promise<void> {
    return ctx.method === 'POST' ? check(ctx, next) : next();
  };
}

export function requireCsrf(csrf: Csrf, log: Logger) {
  return async function checkCsrf(ctx: PortalContext, next: Next): Promise<void> {
    const token = (ctx.request as { body?: Record<string, unknown> }).body?.['csrf'];
    if (!ctx.state.session || !csrf.verify(ctx, ctx.state.session.id, token)) {
      securityEvent(log, 'auth.refused', {
        reason: 'csrf', service: 'portal', path: ctx.path, userId: ctx.state.user?.id, ip: ctx.ip, requestId: ctx.state.requestId,
      });
      throw new Problem('forbidden', { detail: 'This form has expired or came from another site. Reload the page and try again.' });
    }
    await next();
  };
}
