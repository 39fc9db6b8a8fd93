// Every change is recorded in the same transaction as the change itself: if the
// audit row cannot be written, the change does not happen. Diffs pass through
// `scrub` so a secret or hash can never land in the trail.
import type { Prisma } from '@passerelle/db';

export interface Actor {
  type: 'admin' | 'cli' | 'client' | 'user' | 'system';
  id: string;
  requestId?: string | undefined;
  ip?: string | undefined;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  outcome?: 'success' | 'failure';
  diff?: Record<string, unknown>;
}

const secretish = /secret|hash|password|token|private/i;

export function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => !secretish.test(k)).map(([k, v]) => [k, scrub(v)]),
    );
  }
  return value;
}

export async function writeAudit(tx: Prisma.TransactionClient, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome ?? 'success',
      requestId: actor.requestId ?? null,
      ip: actor.ip ?? null,
      ...(entry.diff ? { diff: scrub(entry.diff) as Prisma.InputJsonValue } : {}),
    },
  });
}
