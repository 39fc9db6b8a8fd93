// The audit trail (seed 001, "for each such call, an audit must be saved").
// - A change is recorded with `writeAudit` inside the same transaction as the
//   change itself: if the audit row cannot be written, the change does not happen.
// - A refused attempt (bad credentials, bad signature, lockout) is recorded with
//   `recordSecurityEvent`, outside any transaction, since there is no change to
//   roll back; callers rate-limit before they get here, so it cannot be used to
//   flood the table.
// Diffs pass through `scrub`, so a secret or hash can never land in the trail.
import type { Prisma, PrismaClient } from '@passerelle/db';

export interface Actor {
  type: 'admin' | 'cli' | 'client' | 'user' | 'system' | 'anonymous';
  id: string;
  /** How the actor authenticated: bearer, basic, api_key, session, cli... */
  credential?: string | undefined;
  requestId?: string | undefined;
  ip?: string | undefined;
  method?: string | undefined;
  path?: string | undefined;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  /** The partner the event concerns, so a partner's own audit view can find it. */
  partnerId?: string | undefined;
  outcome?: 'success' | 'failure';
  diff?: Record<string, unknown>;
}

const secretish = /secret|hash|password|token|private|signature|signing_?key|api_?key$/i;
/** Settings whose names sound secret but whose values are not, and whose changes an auditor needs to see. */
const notSecret = new Set(['signaturePolicy', 'secretGraceEndsAt', 'signingKeyVersion']);

export function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => notSecret.has(k) || !secretish.test(k)).map(([k, v]) => [k, scrub(v)]),
    );
  }
  return value;
}

function row(actor: Actor, entry: AuditEntry): Prisma.AuditEventCreateInput {
  return {
    actorType: actor.type,
    actorId: actor.id,
    credential: actor.credential ?? null,
    method: actor.method ?? null,
    path: actor.path ?? null,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    partnerId: entry.partnerId ?? null,
    outcome: entry.outcome ?? 'success',
    ...(entry.diff ? { diff: scrub(entry.diff) as Prisma.InputJsonValue } : {}),
  };
}

/** Records a change; call it with the transaction client that makes the change. */
export async function writeAudit(tx: Prisma.TransactionClient, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: row(actor, entry) });
}

/** Records a refused or security-relevant attempt (outcome `failure` unless said otherwise). */
export async function recordSecurityEvent(prisma: PrismaClient, actor: Actor, entry: AuditEntry): Promise<void> {
  await prisma.auditEvent.create({ data: row(actor, { outcome: 'failure', ...entry }) });
}
