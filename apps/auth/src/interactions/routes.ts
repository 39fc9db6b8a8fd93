// The sign-in pages (oidc-provider "interactions") and the password page.
//   GET  /interaction/:uid          login or consent, whichever the provider asks for
//   POST /interaction/:uid/login    email + password → the provider's next step
//   POST /interaction/:uid/confirm  consent → a Grant of exactly the listed scopes
//   POST /interaction/:uid/abort    access_denied back to the app
//   GET|POST /account/password      change the password (ends every session and token)
//   GET  /assets/passerelle.css     the one stylesheet
// Every POST carries the CSRF token (@passerelle/pages); credentials travel only in POST
// bodies, never in URLs. Sign-in answers one generic sentence for any failure.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Accounts, AttemptContext } from '@passerelle/accounts';
import { isProblem } from '@passerelle/errors';
import { consentPage } from '../pages/consent.ts';
import { loginPage } from '../pages/login.ts';
import { errorPage, messagePage } from '../pages/messages.ts';
import { passwordPage } from '../pages/password.ts';
import { originsOf, sendStylesheet, STYLESHEET_PATH, type Csrf, type PageState } from '@passerelle/pages';
import { describeScope } from './scopes.ts';

const INVALID = 'The email or password is incorrect.';
const LOCKED = 'Too many unsuccessful attempts. Wait a while, then try again.';

export interface InteractionRoutesOptions {
  provider: Provider;
  accounts: Accounts;
  csrf: Csrf;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;
type FormBody = Record<string, unknown>;

const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb', encoding: 'utf-8' });

function field(ctx: Context, name: string): string {
  const value = (ctx.request as { body?: FormBody }).body?.[name];
  return typeof value === 'string' ? value : '';
}

function attempt(ctx: Context): AttemptContext {
  return { ip: ctx.ip, requestId: ctx.state['requestId'] as string | undefined, method: ctx.method, path: ctx._matchedRoute as string | undefined ?? ctx.path };
}

function send(ctx: Context, status: number, page: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page;
}

export function interactionRoutes({ provider, accounts, csrf }: InteractionRoutesOptions) {
  const router = new Router<PageState>();

  async function clientName(details: Details): Promise<string> {
    const client = await provider.Client.find(String(details.params['client_id']));
    return client?.clientName ?? 'the application';
  }

  /** Loads the interaction of this browser; any mismatch (expired, other browser, other uid) is an error page. */
  async function load(ctx: Context, prompt?: 'login' | 'consent'): Promise<Details | undefined> {
    let details: Details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      send(ctx, 400, errorPage('This sign-in has expired', 'The sign-in request is no longer valid or was started in another browser.'));
      return undefined;
    }
    if (details.uid !== ctx.params['uid'] || (prompt && details.prompt.name !== prompt)) {
      send(ctx, 400, errorPage('Something went wrong', 'This step does not belong to the current sign-in.'));
      return undefined;
    }
    const redirectUri = details.params['redirect_uri'];
    ctx.state.formTargets = originsOf([redirectUri]);
    return details;
  }

  function checkCsrf(ctx: Context, binding: string): boolean {
    if (csrf.verify(ctx, binding, field(ctx, 'csrf'))) return true;
    send(ctx, 403, errorPage('This form has expired', 'The page was open too long or came from another site. Go back and try again.'));
    return false;
  }

  async function finish(ctx: Context, result: Parameters<Provider['interactionResult']>[2]): Promise<void> {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  }

  function renderLogin(ctx: Context, details: Details, name: string, status = 200, extra: { email?: string; error?: string } = {}) {
    send(ctx, status, loginPage({
      action: `/interaction/${details.uid}/login`, abortAction: `/interaction/${details.uid}/abort`,
      csrfToken: csrf.issue(ctx, details.uid), clientName: name, ...extra,
    }));
  }

  async function renderConsent(ctx: Context, details: Details) {
    const accountId = details.session?.accountId;
    const user = accountId ? await accounts.findActiveUser(accountId) : undefined;
    if (!user) return send(ctx, 400, errorPage('Something went wrong', 'Your sign-in could not be found. Start again from the application.'));
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const scopes = [...new Set([...(missing.missingOIDCScope ?? []), ...Object.values(missing.missingResourceScopes ?? {}).flat()])];
    send(ctx, 200, consentPage({
      action: `/interaction/${details.uid}/confirm`, abortAction: `/interaction/${details.uid}/abort`,
      csrfToken: csrf.issue(ctx, details.uid), clientName: await clientName(details), userEmail: user.email,
      permissions: scopes.map((scope) => ({ scope, description: describeScope(scope) })),
    }));
  }

  router.get(STYLESHEET_PATH, sendStylesheet);

  router.get('/interaction/:uid', async (ctx) => {
    const details = await load(ctx);
    if (!details) return;
    if (details.prompt.name === 'login') return renderLogin(ctx, details, await clientName(details));
    if (details.prompt.name === 'consent') return renderConsent(ctx, details);
    send(ctx, 400, errorPage('Something went wrong', 'This sign-in step is not supported.'));
  });

  router.post('/interaction/:uid/login', form, async (ctx) => {
    const details = await load(ctx, 'login');
    if (!details || !checkCsrf(ctx, details.uid)) return;
    const email = field(ctx, 'email');
    const result = await accounts.signIn(attempt(ctx), email, field(ctx, 'password'));
    if (result.ok) return finish(ctx, { login: { accountId: result.user.id } });
    const name = await clientName(details);
    if (result.reason === 'locked') {
      ctx.set('Retry-After', String(result.retryAfterSeconds));
      return renderLogin(ctx, details, name, 429, { email, error: LOCKED });
    }
    renderLogin(ctx, details, name, 401, { email, error: INVALID });
  });

  router.post('/interaction/:uid/confirm', form, async (ctx) => {
    const details = await load(ctx, 'consent');
    if (!details || !checkCsrf(ctx, details.uid)) return;
    const accountId = details.session?.accountId;
    const clientId = String(details.params['client_id']);
    if (!accountId) return send(ctx, 400, errorPage('Something went wrong', 'Your sign-in could not be found. Start again from the application.'));
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await finish(ctx, { consent: { grantId } });
  });

  router.post('/interaction/:uid/abort', form, async (ctx) => {
    const details = await load(ctx);
    if (!details || !checkCsrf(ctx, details.uid)) return;
    await finish(ctx, { error: 'access_denied', error_description: 'the user declined' });
  });

  router.get('/account/password', (ctx) => {
    send(ctx, 200, passwordPage({ csrfToken: csrf.issue(ctx, 'account:password') }));
  });

  router.post('/account/password', form, async (ctx) => {
    if (!checkCsrf(ctx, 'account:password')) return;
    const email = field(ctx, 'email');
    const again = (status: number, error: string, fieldErrors?: string[]) =>
      send(ctx, status, passwordPage({ csrfToken: csrf.issue(ctx, 'account:password'), email, error, fieldErrors }));
    let result;
    try {
      result = await accounts.changePassword(attempt(ctx), { email, currentPassword: field(ctx, 'currentPassword'), newPassword: field(ctx, 'newPassword') });
    } catch (err) {
      if (isProblem(err) && err.code === 'validation_failed') {
        const problems = (err.errors ?? []).filter((e) => e.path === 'newPassword').map((e) => `New password: ${e.message}.`);
        return problems.length > 0 ? again(400, 'The new password cannot be used.', problems) : again(401, INVALID);
      }
      throw err;
    }
    if (result.ok) return send(ctx, 200, messagePage('Password changed', 'Your password has been changed. You have been signed out everywhere; sign in again with your new password.'));
    if (result.reason === 'locked') {
      ctx.set('Retry-After', String(result.retryAfterSeconds));
      return again(429, LOCKED);
    }
    again(401, INVALID);
  });

  return router;
}
