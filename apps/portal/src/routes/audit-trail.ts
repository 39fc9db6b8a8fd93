// Administrators only (members get 404): the whole audit trail, the portal's
// face of the admin API's GET /audit-events and its export, with the same
// filters and validation (registry.listAuditEvents, auditQueryInput).
//   GET /audit?actor=&client=&action=&partner=&from=&to=&cursor=   50 to a page, newest first
//   GET /audit/export?…same filters…                               every match as JSON lines, a download
// A time typed without an offset (`2026-11-23 14:00`) is UTC, as the page says.
import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { Next } from 'koa';
import type { AuditQueryInput, Registry } from '@passerelle/registry';
import { auditTrailPage, type AuditFilterForm } from '../pages/audit.ts';
import type { PortalContext, PortalState } from '../state.ts';
import { attempt, render } from './forms.ts';

type Step = (ctx: PortalContext, next: Next) => Promise<void>;

const names = ['partner', 'actor', 'client', 'action', 'from', 'to'] as const;

function filtersOf(ctx: PortalContext): AuditFilterForm {
  const text = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string).trim() : '');
  return Object.fromEntries(names.map((n) => [n, text(n)])) as unknown as AuditFilterForm;
}

/** `2026-11-23 14:05` or `2026-11-23T14:05:30`, read as UTC; anything else as typed, for the schema to judge. */
function instant(value: string): string {
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return local ? `${local[1]}T${local[2]}${local[3] ?? ':00'}Z` : value;
}

/** The filters as the registry's query: empty ones left out. */
function queryOf(filters: AuditFilterForm): AuditQueryInput {
  const query: Record<string, string> = {};
  for (const name of names) if (filters[name] !== '') query[name] = name === 'from' || name === 'to' ? instant(filters[name]) : filters[name];
  return query;
}

export function auditTrailRoutes({ registry, guard }: { registry: Registry; guard: Step[] }) {
  const router = new Router<PortalState>();

  router.get('/audit', ...guard, async (ctx: PortalContext) => {
    const filters = filtersOf(ctx);
    const cursor = typeof ctx.query['cursor'] === 'string' ? ctx.query['cursor'] : undefined;
    const result = await attempt(ctx, () => registry.listAuditEvents({ ...queryOf(filters), limit: 50, ...(cursor ? { cursor } : {}) }));
    render(ctx, auditTrailPage({
      viewer: ctx.state.viewer!, filters,
      ...(result.ok ? { events: result.value.items, nextCursor: result.value.nextCursor } : { events: [], error: result.error }),
    }));
  });

  router.get('/audit/export', ...guard, async (ctx: PortalContext) => {
    // Resolves only once the filter is valid: a bad one is refused before the first byte.
    const events = await registry.exportAuditEvents(queryOf(filtersOf(ctx)));
    ctx.type = 'application/x-ndjson';
    ctx.set('Content-Disposition', 'attachment; filename="audit-events.ndjson"');
    ctx.body = Readable.from((async function* lines() {
      for await (const event of events) yield `${JSON.stringify(event)}\n`;
    })());
  });

  return router;
}
