// The confirmation step of an action that cannot be undone (revoke a key,
// disable or delete a client, disable a partner): the same form again, with
// `confirm=yes`, and a way back. Works without JavaScript.
import { html } from '@passerelle/pages';
import { csrfField, layout, type PartnerInView, type Section, type Viewer } from './layout.ts';

export interface ConfirmPageOptions {
  viewer: Viewer;
  partner?: PartnerInView | undefined;
  section?: Section | undefined;
  title: string;
  message: string;
  /** Where the confirmed form posts (the action itself). */
  action: string;
  button: string;
  cancel: string;
  /** Fields of the first form the confirmed one carries on (a retirement's `force`). */
  hidden?: Readonly<Record<string, string>> | undefined;
}

export function confirmPage(o: ConfirmPageOptions): string {
  return layout({
    title: o.title, viewer: o.viewer, partner: o.partner, section: o.section,
    body: html`<section class="panel danger-zone">
<p>${o.message}</p>
<div class="row">
<form method="post" action="${o.action}">${csrfField(o.viewer)}${Object.entries(o.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<input type="hidden" name="confirm" value="yes"><button type="submit" autofocus>${o.button}</button></form>
<a href="${o.cancel}">Cancel</a>
</div>
</section>`,
  });
}
