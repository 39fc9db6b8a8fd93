// The Usage page: per client, requests today and this ISO week, rate-limit
// rejections, what is left of today's quota, and the last 7 days.
import { html } from '@passerelle/pages';
import { layout, type PartnerInView, type Viewer } from './layout.ts';
import { when } from './parts.ts';

export interface UsageRow {
  clientId: string;
  name: string;
  today: { requests: number; rejected: number };
  thisWeek: { requests: number; rejected: number };
  days: readonly { date: string; requests: number; rejected: number }[];
  dailyQuota: number;
  quotaLeft: number;
  quotaRenewsAt: Date;
}

const n = (value: number) => value.toLocaleString('en-GB');

export function usagePage(viewer: Viewer, partner: PartnerInView, rows: readonly UsageRow[]): string {
  const total = rows.reduce((t, r) => ({
    today: t.today + r.today.requests, week: t.week + r.thisWeek.requests, rejected: t.rejected + r.thisWeek.rejected,
  }), { today: 0, week: 0, rejected: 0 });
  return layout({
    title: 'Usage', viewer, partner, section: 'usage',
    lead: 'Requests your clients and their API keys made to the API. Days are UTC; the week starts on Monday.',
    body: html`<div class="stats" role="list">
<div class="stat" role="listitem"><div class="value">${n(total.today)}</div><div class="label">requests today</div></div>
<div class="stat" role="listitem"><div class="value">${n(total.week)}</div><div class="label">requests this week</div></div>
<div class="stat" role="listitem"><div class="value">${n(total.rejected)}</div><div class="label">rate-limit rejections this week</div></div>
</div>
${rows.length === 0 ? html`<p class="panel">No client yet.</p>` : rows.map((r) => html`<section class="panel" aria-labelledby="usage-${r.clientId}">
<h2 id="usage-${r.clientId}">${r.name} <code>${r.clientId}</code></h2>
<dl class="facts">
<dt>Today</dt><dd>${n(r.today.requests)} requests, ${n(r.today.rejected)} rejected by the rate limit</dd>
<dt>This week</dt><dd>${n(r.thisWeek.requests)} requests, ${n(r.thisWeek.rejected)} rejected</dd>
<dt>Quota left today</dt><dd>${n(r.quotaLeft)} of ${n(r.dailyQuota)}, renews ${when(r.quotaRenewsAt)}</dd>
</dl>
<div class="table-scroll"><table>
<caption class="visually-hidden">Last 7 days of ${r.name}</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Requests</th><th scope="col">Rejected</th></tr></thead>
<tbody>${r.days.map((d) => html`<tr><td>${d.date}</td><td>${n(d.requests)}</td><td>${n(d.rejected)}</td></tr>`)}</tbody>
</table></div>
</section>`)}`,
  });
}
