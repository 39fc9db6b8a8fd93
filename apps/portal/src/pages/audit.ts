// The Audit page: the partner's recent audit and security events, newest
// first: changes to its credentials, refused calls, signature failures.
import { html } from '@passerelle/pages';
import type { AuditEventView, PartnerView } from '@passerelle/registry';
import { layout, partnerPath, type Viewer } from './layout.ts';
import { when } from './parts.ts';

function actor(e: AuditEventView): string {
  if (e.actorType === 'system') return 'Passerelle (automatic)';
  if (e.actorType === 'anonymous') return 'unauthenticated caller';
  return `${e.actorType} ${e.actorId}${e.credential ? ` (${e.credential})` : ''}`;
}

function reason(e: AuditEventView): string {
  const diff = e.diff as { reason?: unknown } | null;
  return typeof diff?.reason === 'string' ? diff.reason : '';
}

export function auditPage(viewer: Viewer, partner: PartnerView, events: readonly AuditEventView[], nextCursor: string | undefined): string {
  const base = partnerPath(partner, 'audit');
  return layout({
    title: 'Audit', viewer, partner, section: 'audit',
    lead: 'What happened to your credentials, and refused attempts to use them, newest first. Times are UTC.',
    body: html`<section class="panel">
${events.length === 0 ? html`<p>Nothing recorded yet.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">By</th><th scope="col">On</th><th scope="col">From</th></tr></thead>
<tbody>
${events.map((e) => html`<tr>
<td>${when(e.at)}</td>
<td><code>${e.action}</code>${reason(e) ? html` <span class="fine">${reason(e)}</span>` : ''}</td>
<td>${e.outcome === 'success' ? 'done' : html`<strong>refused</strong>`}</td>
<td>${actor(e)}</td>
<td>${e.targetId ? html`<code>${e.targetId}</code>` : '—'}</td>
<td>${e.ip ?? '—'}</td>
</tr>`)}
</tbody></table></div>`}
${nextCursor ? html`<p><a href="${base}?cursor=${encodeURIComponent(nextCursor)}">Older events</a></p>` : ''}
</section>`,
  });
}
