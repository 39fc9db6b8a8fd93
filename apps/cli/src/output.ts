// How commands print: one JSON document per result with --json (for scripts and
// jq), or short human lines otherwise. Lists print one line per item and, when
// there is a next page, the cursor to ask for it.
import type { ClientView, Page, PartnerView } from '@passerelle/registry';
import type { CommandContext } from './context.ts';

export function print(ctx: CommandContext, value: unknown, human: () => string[]): void {
  if (ctx.json) ctx.out(JSON.stringify(value));
  else for (const line of human()) ctx.out(line);
}

export function printPage<T>(ctx: CommandContext, page: Page<T>, line: (item: T) => string): void {
  print(ctx, page, () => [
    ...(page.items.length === 0 ? ['(none)'] : page.items.map(line)),
    ...(page.nextCursor ? [`more: --cursor ${page.nextCursor}`] : []),
  ]);
}

export const partnerLine = (p: PartnerView) => `${p.slug}\t${p.status}\t${p.name}`;

export const clientLine = (c: ClientView) => `${c.clientId}\t${c.status}\t${c.name}\t${c.allowedScopes.join(' ')}`;

export function clientDetails(c: ClientView): string[] {
  return [
    `client ${c.clientId} (${c.status})`,
    `  name:                ${c.name}`,
    `  partner id:          ${c.partnerId}`,
    `  scopes:              ${c.allowedScopes.join(' ')}`,
    `  grant types:         ${c.grantTypes.join(' ')}`,
    `  redirect URIs:       ${c.redirectUris.join(' ') || '-'}`,
    `  basic auth fallback: ${c.basicAuthFallback ? 'on' : 'off'}`,
    `  signature policy:    ${c.signaturePolicy}`,
    `  rate tier:           ${c.rateTier}`,
    `  daily quota:         ${c.dailyQuota ?? 'tier default'}`,
    `  IP allowlist:        ${c.ipAllowlist.join(' ') || 'any address'}`,
    `  secret grace ends:   ${c.secretGraceEndsAt?.toISOString() ?? '-'}`,
    `  created:             ${c.createdAt.toISOString()}`,
  ];
}
