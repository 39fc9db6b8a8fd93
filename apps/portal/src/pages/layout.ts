// The frame of every portal page: a skip link, the header (who is signed in,
// the sign-out form), the sections of the partner in view, and a main landmark
// with the page's heading. No inline script or style: the only script is
// /assets/copy.js, on pages that show a one-time secret.
import { html, STYLESHEET_PATH, type Markup } from '@passerelle/pages';

export type Section = 'credentials' | 'api-keys' | 'signing' | 'usage' | 'audit';

export interface Viewer {
  email: string;
  isAdmin: boolean;
  /** The CSRF token for forms on this page. */
  csrfToken: string;
}

export interface PartnerInView {
  slug: string;
  name: string;
}

export interface PageOptions {
  title: string;
  viewer?: Viewer | undefined;
  partner?: PartnerInView | undefined;
  section?: Section | undefined;
  lead?: Markup | string | undefined;
  body: Markup;
  /** Loads /assets/copy.js (copy buttons). */
  copyScript?: boolean;
}

const sections: { id: Section; label: string }[] = [
  { id: 'credentials', label: 'Credentials' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'signing', label: 'Signing' },
  { id: 'usage', label: 'Usage' },
  { id: 'audit', label: 'Audit' },
];

/** The hidden CSRF field every form carries. */
export function csrfField(viewer: Viewer): Markup {
  return html`<input type="hidden" name="csrf" value="${viewer.csrfToken}">`;
}

export function partnerPath(partner: PartnerInView, section: Section, rest = ''): string {
  return `/partners/${encodeURIComponent(partner.slug)}/${section}${rest}`;
}

function header(viewer: Viewer | undefined): Markup {
  return html`<header class="topbar"><div class="topbar-inner">
<p class="brand"><a href="/">Passerelle</a> · API settings</p>
${viewer ? html`<div class="who">
${viewer.isAdmin ? html`<nav aria-label="Administration"><a href="/partners">All partners</a> · <a href="/users">Users</a> · <a href="/api-keys">API keys</a> · <a href="/signing-keys">Signing keys</a> · <a href="/audit">Audit trail</a></nav>` : ''}
<span>${viewer.email}${viewer.isAdmin ? ' (admin)' : ''}</span>
<form method="post" action="/logout">${csrfField(viewer)}<button type="submit">Sign out</button></form>
</div>` : ''}
</div></header>`;
}

function navigation(partner: PartnerInView, current: Section | undefined): Markup {
  return html`<nav class="sections" aria-label="${partner.name} settings"><ul>
${sections.map((s) => html`<li><a href="${partnerPath(partner, s.id)}"${s.id === current ? html` aria-current="page"` : ''}>${s.label}</a></li>`)}
</ul></nav>`;
}

export function layout(o: PageOptions): string {
  return `<!DOCTYPE html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title}${o.partner ? ` · ${o.partner.name}` : ''} · Passerelle</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="stylesheet" href="/assets/portal.css">
${o.copyScript ? html`<script src="/assets/copy.js" defer></script>` : ''}
</head>
<body class="portal">
<a class="skip" href="#main">Skip to content</a>
${header(o.viewer)}
${o.partner ? navigation(o.partner, o.section) : ''}
<main id="main" class="content" aria-labelledby="page-title" tabindex="-1">
${o.partner ? html`<p class="partner-name">${o.partner.name}</p>` : ''}
<h1 id="page-title">${o.title}</h1>
${o.lead ? html`<p class="lead">${o.lead}</p>` : ''}
${o.body}
</main>
<p id="copy-status" class="visually-hidden" role="status" aria-live="polite"></p>
</body>
</html>`.text}\n`;
}
