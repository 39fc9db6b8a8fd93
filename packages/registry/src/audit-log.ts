// Reading the audit trail: filter by partner, actor, client, action and time range,
// newest first, with keyset cursors; and an export that walks the same filter
// oldest first, page by page, so a year of events streams in bounded memory.
import type { AuditEvent, Prisma } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { type AuditQueryInput, auditQueryInput, validate } from './inputs.ts';
import { type Page, after, decodeCursor, toPage } from './pagination.ts';

export interface AuditEventView {
  id: string;
  at: Date;
  actorType: string;
  actorId: string;
  credential: string | null;
  partnerId: string | null;
  method: string | null;
  path: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  diff: unknown;
}

function eventView(e: AuditEvent): AuditEventView {
  return {
    id: e.id, at: e.at, actorType: e.actorType, actorId: e.actorId, credential: e.credential, partnerId: e.partnerId,
    method: e.method, path: e.path, action: e.action, targetType: e.targetType, targetId: e.targetId,
    outcome: e.outcome, requestId: e.requestId, ip: e.ip, diff: e.diff,
  };
}

type Query = ReturnType<typeof auditQueryInput.parse>;

function filterOf(q: Query, partnerId: string | undefined): Prisma.AuditEventWhereInput {
  const action = q.action?.endsWith('*') ? { startsWith: q.action.slice(0, -1) } : q.action;
  return {
    ...(q.partner ? { partnerId: partnerId ?? null } : {}),
    ...(q.actor ? { actorId: q.actor } : {}),
    ...(q.client ? { OR: [{ targetId: q.client }, { actorId: q.client }] } : {}),
    ...(action ? { action } : {}),
    ...(q.from || q.to ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
  };
}

export function auditQueries({ prisma }: { prisma: Prisma.TransactionClient }) {
  /** The partner's id, for a `partner` filter; an unknown slug is a 404, as everywhere else. */
  async function partnerIdOf(q: Query): Promise<string | undefined> {
    if (!q.partner) return undefined;
    const partner = await prisma.partner.findUnique({ where: { slug: q.partner }, select: { id: true } });
    if (!partner) throw new Problem('not_found', { detail: `no partner "${q.partner}"` });
    return partner.id;
  }

  async function listAuditEvents(input: AuditQueryInput = {}): Promise<Page<AuditEventView>> {
    const q = validate(auditQueryInput, input);
    const partnerId = await partnerIdOf(q);
    const rows = await prisma.auditEvent.findMany({
      where: { AND: [filterOf(q, partnerId), after('at', decodeCursor(q.cursor), 'desc')] },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    });
    return toPage(rows, q.limit, (r) => r.at, eventView);
  }

  /**
   * Every matching event, oldest first; `limit` sets the page size of the walk,
   * not a total. The filter is validated and its partner found before this
   * resolves, so a caller streaming the events refuses a bad filter with its
   * code before the first byte, instead of cutting the stream.
   */
  async function exportAuditEvents(input: AuditQueryInput = {}): Promise<AsyncGenerator<AuditEventView>> {
    const q = validate(auditQueryInput, { ...input, limit: input.limit ?? 200 });
    const partnerId = await partnerIdOf(q);
    return (async function* walk() {
      let position = decodeCursor(q.cursor);
      for (;;) {
        const rows = await prisma.auditEvent.findMany({
          where: { AND: [filterOf(q, partnerId), after('at', position, 'asc')] },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
          take: q.limit,
        });
        for (const row of rows) yield eventView(row);
        const last = rows.at(-1);
        if (!last || rows.length < q.limit) return;
        position = { at: last.at, id: last.id };
      }
    })();
  }

  return { listAuditEvents, exportAuditEvents };
}
