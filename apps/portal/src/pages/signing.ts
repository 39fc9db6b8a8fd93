// The Signing page: which client signs how, its x-signature key on request
// (reading it is audited), and a worked example computed with that very key,
// so a developer can check their own signer against it line by line.
import { html, type Markup } from '@passerelle/pages';
import type { ClientSigningKey, ClientView, PartnerView } from '@passerelle/registry';
import { csrfField, layout, partnerPath, type Viewer } from './layout.ts';
import { onceBox } from './parts.ts';

export interface WorkedExample {
  method: string;
  target: string;
  body: string;
  timestamp: number;
  canonical: string;
  header: string;
}

export interface SigningPageOptions {
  viewer: Viewer;
  partner: PartnerView;
  clients: readonly ClientView[];
  apiUrl: string;
  revealed?: { key: ClientSigningKey; example: WorkedExample } | undefined;
}

const policies = { off: 'never', writes: 'on writes', all: 'on every request' } as const;

function example(apiUrl: string, revealed: NonNullable<SigningPageOptions['revealed']>): Markup {
  const e = revealed.example;
  return html`<h3>Worked example with this key</h3>
<p><code>${e.method} ${e.target}</code> with the body <code>${e.body}</code> at <code>t=${e.timestamp}</code> has this canonical request (seven lines joined by a newline):</p>
<pre><code>${e.canonical}</code></pre>
<p>The HMAC-SHA256 of it, keyed with the signing key, base64url without padding, gives the header:</p>
<pre><code>x-signature: ${e.header}</code></pre>
<p>With the reference signer from the README (Node.js 18+, no dependencies):</p>
<pre><code>const body = JSON.stringify(order);
const signature = signRequest({ method: 'POST', target: '/v1/orders', body }, { keyId: '${revealed.key.keyId}', signingKey: process.env.SIGNING_KEY });
await fetch('${apiUrl}/v1/orders', {
  method: 'POST',
  headers: { authorization: \`Bearer \${token}\`, 'content-type': 'application/json', 'x-signature': signature },
  body, // exactly the string that was signed
});</code></pre>
<p>A timestamp more than 300 seconds from the API’s clock is refused, and so is a signature used twice: sign every request, and every retry, again.</p>`;
}

export function signingPage(o: SigningPageOptions): string {
  const base = partnerPath(o.partner, 'signing');
  return layout({
    title: 'Request signing', viewer: o.viewer, partner: o.partner, section: 'signing', copyScript: o.revealed !== undefined,
    lead: 'Requests carry an HMAC-SHA256 signature in the x-signature header, proving they come from your client and were not changed on the way.',
    body: html`${o.revealed ? onceBox(`Signing key of ${o.clients.find((c) => c.clientId === o.revealed!.key.clientId)?.name ?? o.revealed.key.clientId}`,
      'Keep this key as secret as the consumer-secret. Showing it again is possible, and is recorded in the audit trail each time.',
      [
        { id: 'key-id', label: 'Key id (keyId)', value: o.revealed.key.keyId },
        { id: 'signing-key', label: 'Signing key', value: o.revealed.key.signingKey },
      ],
      example(o.apiUrl, o.revealed)) : ''}
<section class="panel" aria-labelledby="keys-title">
<h2 id="keys-title">Your clients’ signing keys</h2>
${o.clients.length === 0 ? html`<p>No client yet: <a href="${partnerPath(o.partner, 'credentials')}">create one</a> first.</p>` : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">Client</th><th scope="col">Consumer-key</th><th scope="col">Signature required</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${o.clients.map((c) => html`<tr><td>${c.name}</td><td><code>${c.clientId}</code></td><td>${policies[c.signaturePolicy]}</td>
<td><form method="post" action="${base}/${encodeURIComponent(c.clientId)}" class="inline">${csrfField(o.viewer)}<button type="submit">Show signing key<span class="visually-hidden"> of ${c.name}</span></button></form></td></tr>`)}
</tbody></table></div>`}
</section>
<section class="panel" aria-labelledby="how-title">
<h2 id="how-title">How to sign</h2>
<pre><code>x-signature: keyId=&lt;consumer-key&gt;.v&lt;version&gt;, t=&lt;unix seconds&gt;, s=&lt;signature&gt;</code></pre>
<p>The signature covers the method, the path, the sorted query and the SHA-256 of the exact body bytes. The README’s “Request signatures” section has the canonical request in full, a copy-paste reference signer and a shell version. API keys are signed with the key of the client they belong to.</p>
</section>`,
  });
}
