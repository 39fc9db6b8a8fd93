// Reading the portal's forms, and turning a refusal from the domain layer into
// what the form shows next to its fields. Only refusals the user can fix
// (400, 409) are caught here; anything else reaches the error page renderer.
import { isProblem } from '@passerelle/errors';
import type { FormError } from '../pages/parts.ts';
import type { PortalContext } from '../state.ts';

export function field(ctx: PortalContext, name: string): string {
  const value = (ctx.request as { body?: Record<string, unknown> }).body?.[name];
  return typeof value === 'string' ? value : '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(ctx: PortalContext, name: string): string[] {
  const value = (ctx.request as { body?: Record<string, unknown> }).body?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Runs a domain operation; a refusal the user can fix comes back as the form's error, with its status set. */
export async function attempt<T>(ctx: PortalContext, operation: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: FormError }> {
  try {
    return { ok: true, value: await operation() };
  } catch (err) {
    if (!isProblem(err) || (err.status !== 400 && err.status !== 409)) throw err;
    ctx.status = err.status;
    return { ok: false, error: { message: err.detail ?? err.message, details: err.errors?.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)) } };
  }
}

export function render(ctx: PortalContext, page: string): void {
  if (ctx.status === 404) ctx.status = 200; // Koa's default before a body is set
  ctx.type = 'html';
  ctx.body = page;
}

/**
 * Until the form says `confirm=yes`, answers the confirmation page instead of
 * acting; returns whether the action may go ahead.
 */
export function confirmed(ctx: PortalContext, page: (o: { action: string }) => string): boolean {
  if (field(ctx, 'confirm') === 'yes') return true;
  render(ctx, page({ action: ctx.path }));
  return false;
}
