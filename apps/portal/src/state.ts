// What the portal's middleware establishes on ctx.state, typed once: the
// session (session.ts), the signed-in user (access.ts), the partner in view
// (partner-scope.ts), and the page headers' form targets (@passerelle/pages).
import type { Actor } from '@passerelle/audit';
import type { UserView } from '@passerelle/accounts';
import type { PageState } from '@passerelle/pages';
import type { PartnerView } from '@passerelle/registry';
import type { Context } from 'koa';
import type { PortalSession } from './session/sessions.ts';
import type { Viewer } from './pages/layout.ts';

export interface PortalState extends PageState {
  requestId?: string;
  /** The cookie's value, when it names a live session. */
  sessionHandle?: string;
  session?: PortalSession;
  user?: UserView;
  viewer?: Viewer;
  /** The partner named in the URL, once the viewer may see it. */
  partner?: PartnerView;
}

export type PortalContext = Context & { state: PortalState; params: Record<string, string> };

/** Who acts, for the audit trail: the signed-in user through their portal session. */
export function actorOf(ctx: PortalContext): Actor {
  const user = ctx.state.user!;
  return {
    type: user.role === 'admin' ? 'admin' : 'user', id: user.id, credential: 'session',
    requestId: ctx.state.requestId, ip: ctx.ip, method: ctx.method, path: ctx.path,
  };
}

/**
 * The signed-in user, the page viewer and the partner in view; routes run only
 * after access.ts set them. `bounded`: the viewer is a partner's own user, held
 * to what the registry's self-service allows (not an administrator).
 */
export function scopeOf(ctx: PortalContext): { user: UserView; viewer: Viewer; partner: PartnerView; bounded: boolean } {
  const user = ctx.state.user!;
  return { user, viewer: ctx.state.viewer!, partner: ctx.state.partner!, bounded: user.role !== 'admin' };
}
