// Small pieces several pages share: a form's error box, status badges, dates,
// the one-time secret box with its copy buttons, and the query of a list's filters.
import { html, type Markup } from '@passerelle/pages';

export interface FormError {
  message: string;
  details?: readonly string[] | undefined;
}

export function errorBox(error: FormError | undefined, id = 'form-error'): Markup | '' {
  if (!error) return '';
  return html`<div class="error" role="alert" id="${id}"><p>${error.message}</p>${error.details?.length ? html`<ul>${error.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;
}

/** A query string of the parameters that have a value (filters in use, a cursor); empty ones are left out. */
export function queryOf<T extends { [K in keyof T]: string | undefined }>(params: T): string {
  const entries = Object.entries(params as Record<string, string | undefined>);
  return new URLSearchParams(entries.filter((e): e is [string, string] => !!e[1])).toString();
}

export function badge(status: string): Markup {
  return html`<span class="status status-${status}">${status}</span>`;
}

export function when(date: Date | string | null | undefined): Markup | string {
  if (!date) return '—';
  const d = new Date(date);
  return html`<time class="nowrap" datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>`;
}

export interface OnceValue {
  id: string;
  label: string;
  value: string;
}

/** Values shown this once (a secret, an API key): selectable fields, a copy button each, and the warning. */
export function onceBox(title: string, warning: string, values: readonly OnceValue[], after: Markup): Markup {
  return html`<section class="once" aria-labelledby="once-title">
<h2 id="once-title">${title}</h2>
<p class="warning">${warning}</p>
${values.map((v) => html`<label for="${v.id}">${v.label}</label>
<div class="secret">
<input id="${v.id}" type="text" readonly value="${v.value}" data-label="${v.label}" size="60" spellcheck="false" autocomplete="off">
<button type="button" class="copy" data-copy="${v.id}" hidden>Copy</button>
</div>`)}
${after}
</section>`;
}
