// The stylesheet every Passerelle page shares (sign-in pages and portal), served
// by each service from its own origin so that `style-src 'self'` holds.
import { readFileSync } from 'node:fs';
import type { Context } from 'koa';

export const STYLESHEET_PATH = '/assets/passerelle.css';

const stylesheet = readFileSync(new URL('../assets/passerelle.css', import.meta.url));

/** Answers a static asset with a type and a short public cache. */
export function sendAsset(ctx: Context, type: string, body: Buffer): void {
  ctx.type = type;
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = body;
}

export function sendStylesheet(ctx: Context): void {
  sendAsset(ctx, 'text/css', stylesheet);
}
