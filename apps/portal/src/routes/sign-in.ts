// Signing in and out (session/oidc-client.ts does the protocol):
//   GET  /               the welcome page, or the viewer's home
//   GET  /login          → the auth service's sign-in (a fresh state, nonce, PKCE; limited per address)
//   GET  /auth/callback  ← the code: a new session, a new cookie
//   POST /logout         ends the portal session, then the auth service's (RP-initiated logout)
//   GET  /signed-out     where the auth service sends the browser back
// A new session always gets a new cookie value (no session fixation).
import Router from '@koa/router';
import type { Next } from 'koa';
import type { Logger } from '@passerelle/log';
import type { Csrf } from '@passerelle/pages';
import { requireCsrf } from '../access.ts';
import { cookieOptions, type CookieNames } from '../session/cookies.ts';
import { CALLBACK_PATH, SIGNED_OUT_PATH, type OidcClient } from '../session/oidc-client.ts';
import type { Sessions } from '../session/sessions.ts';
import type { SignInStarts } from '../session/sign-in-starts.ts';
import { noPartnerPage, signedOutPage, welcomePage } from '../pages/messages.ts';
import type { PortalContext, PortalState } from '../state.ts';

export interface SignInRoutesOptions {
  oidc: OidcClient;
  sessions: Sessions;
  /** Counts a sign-in started from an address; throws 429 past its limit. */
  signInStarts: SignInStarts;
  cookies: CookieNames;
  secure: boolean;
  sessionTtl: number;
  csrf: Csrf;
  log: Logger;
  /** Where a signed-in member goes: their partner's slug, looked up by id. */
  partnerSlugOf(partnerId: string): Promise<string | undefined>;
}

function page(ctx: PortalContext, body: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = body;
}

export function signInRoutes(o: SignInRoutesOptions) {
  const router = new Router<PortalState>();

  router.get('/', async (ctx: PortalContext) => {
    const user = ctx.state.user;
    if (!user) return page(ctx, welcomePage());
    if (user.role === 'admin') return ctx.redirect('/partners');
    const slug = user.partnerId ? await o.partnerSlugOf(user.partnerId) : undefined;
    if (!slug) return page(ctx, noPartnerPage(ctx.state.viewer!));
    ctx.redirect(`/partners/${encodeURIComponent(slug)}/credentials`);
  });

  router.get('/login', async (ctx: PortalContext) => {
    if (ctx.state.user) return ctx.redirect('/');
    await o.signInStarts(ctx.ip);
    const { location, loginHandle } = await o.oidc.begin();
    ctx.cookies.set(o.cookies.login, loginHandle, cookieOptions(o.secure, 600));
    ctx.status = 303;
    ctx.redirect(location);
  });

  router.get(CALLBACK_PATH, async (ctx: PortalContext) => {
    const loginHandle = ctx.cookies.get(o.cookies.login);
    ctx.cookies.set(o.cookies.login, '', { ...cookieOptions(o.secure), maxAge: 0 });
    const signedIn = await o.oidc.complete(loginHandle, ctx.query);
    await o.sessions.destroy(ctx.cookies.get(o.cookies.session));
    const { handle } = await o.sessions.create(signedIn);
    ctx.cookies.set(o.cookies.session, handle, cookieOptions(o.secure, o.sessionTtl));
    ctx.status = 303;
    ctx.redirect('/');
  });

  const withSession = async (ctx: PortalContext, next: Next) => {
    if (ctx.state.session) return next();
    // It expired: nothing to end here, and nothing a forged form could harm. On to the auth service's sign-out.
    ctx.status = 303;
    ctx.redirect(o.oidc.endSessionUrl(undefined));
  };
  router.post('/logout', withSession, requireCsrf(o.csrf, o.log), async (ctx: PortalContext) => {
    const ended = await o.sessions.destroy(ctx.state.sessionHandle);
    ctx.cookies.set(o.cookies.session, '', { ...cookieOptions(o.secure), maxAge: 0 });
    ctx.status = 303;
    ctx.redirect(o.oidc.endSessionUrl(ended?.idToken));
  });

  router.get(SIGNED_OUT_PATH, (ctx: PortalContext) => page(ctx, signedOutPage()));

  return router;
}

