// The Audit pages: a partner's recent audit and security events, newest first
// (changes to its credentials, refused calls, signature failures); and for an
// administrator the whole trail, filtered, with its export.
import { html } from '@passerelle/pages';
import type { AuditEventView, PartnerView } from '@passerelle/registry';
import { layout, partnerPath, type Viewer } from './layout.ts';
import { errorBox, queryOf, when, type FormError } from './parts.ts';

function actor(e: AuditEventView): string {
  if (e.actorType === 'system') return 'Passerelle (automatic)';
  if (e.actorType === 'anonymous') return 'unauthenticated caller';
  return `${e.actorType} ${e.actorId}${e.credential ? ` (${e.credential})` : ''}`;
}

function reason(e: AuditEventView): string {
  const diff = e.diff as { reason?: unknown } | null;
  return typeof diff?.reason === 'string' ? diff.reason : '';
}

/** Events, newest first. */
function eventsTable(events: readonly AuditEventView[]) {
  return events.length === 0 ? html`<p>Nothing recorded yet.</p>` : html`<div class="table-scroll"><table>
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
</tbody></table></div>`;
}

export function auditPage(viewer: Viewer, partner: PartnerView, events: readonly AuditEventView[], nextCursor: string | undefined): string {
  const base = partnerPath(partner, 'audit');
  return layout({
    title: 'Audit', viewer, partner, section: 'audit',
    lead: 'What happened to your credentials, and refused attempts to use them, newest first. Times are UTC.',
    body: html`<section class="panel">
${eventsTable(events)}
${nextCursor ? html`<p><a href="${base}?cursor=${encodeURIComponent(nextCursor)}">Older events</a></p>` : ''}
</section>`,
  });
}

/** The admin's audit filters, as typed (the query string of the page and of its export). */
export interface AuditFilterForm {
  partner: string;
  actor: string;
  client: string;
  action: string;
  from: string;
  to: string;
}

export interface AuditTrailPageOptions {
  viewer: Viewer;
  filters: AuditFilterForm;
  events: readonly AuditEventView[];
  nextCursor?: string | undefined;
  error?: FormError | undefined;
}

const filterFields: { name: keyof AuditFilterForm; label: string; hint: string }[] = [
  { name: 'actor', label: 'Actor', hint: 'A user id, an admin client\'s consumer-key, os:<user> for the CLI, or system.' },
  { name: 'client', label: 'Client', hint: 'A consumer-key: events about that client or made by it.' },
  { name: 'action', label: 'Action', hint: 'Exact, such as client.update, or a prefix such as client.*' },
  { name: 'partner', label: 'Partner', hint: 'A partner\'s slug.' },
  { name: 'from', label: 'From (UTC)', hint: 'Such as 2026-11-23 14:00, or an ISO 8601 time with its offset.' },
  { name: 'to', label: 'To (UTC)', hint: 'Empty: until now.' },
];

export function auditTrailPage(o: AuditTrailPageOptions): string {
  const query = queryOf(o.filters);
  return layout({
    title: 'Audit trail', viewer: o.viewer,
    lead: 'Every audited change and refusal, across all partners, newest first. Times are UTC.',
    body: html`<section class="panel" aria-labelledby="filters-title">
<h2 id="filters-title">Filters</h2>
${errorBox(o.error)}
<form method="get" action="/audit" class="stack">
${filterFields.map((f) => html`<label for="filter-${f.name}">${f.label}</label>
<input id="filter-${f.name}" name="${f.name}" type="text" maxlength="200" spellcheck="false" value="${o.filters[f.name]}" aria-describedby="filter-${f.name}-hint">
<p class="hint" id="filter-${f.name}-hint">${f.hint}</p>`)}
<div class="row"><button type="submit" class="primary">Filter</button> <a href="/audit">Clear</a></div>
</form>
</section>
<section class="panel" aria-labelledby="events-title">
<h2 id="events-title">Events</h2>
<p><a href="/audit/export${query ? `?${query}` : ''}" download>Export these events as JSON lines</a> (every match, oldest first)</p>
${eventsTable(o.events)}
${o.nextCursor ? html`<p><a href="/audit?${queryOf({ ...o.filters, cursor: o.nextCursor })}">Older events</a></p>` : ''}
</section>`,
  });
}
