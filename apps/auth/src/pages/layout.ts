// The frame every page shares: language, viewport, title, the one stylesheet,
// a main landmark with the page's heading. No script and no inline style, so
// the strict CSP (@passerelle/pages) holds on every page.
import { html, type Markup } from '@passerelle/pages';

export interface PageOptions {
  title: string;
  /** The sentence under the heading, if any. */
  lead?: Markup | string | undefined;
  body: Markup;
}

export function layout({ title, lead, body }: PageOptions): string {
  return `<!DOCTYPE html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Passerelle</title>
<link rel="stylesheet" href="/assets/passerelle.css">
</head>
<body>
<main class="card" aria-labelledby="page-title">
<p class="brand">Passerelle</p>
<h1 id="page-title">${title}</h1>
${lead ? html`<p class="lead">${lead}</p>` : ''}
${body}
</main>
</body>
</html>`.text}\n`;
}
