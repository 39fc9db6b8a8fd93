// RFC 6797 Strict-Transport-Security. It is sent only on responses that went out
// over HTTPS (natively, or through a trusted TLS-terminating proxy), since a
// browser ignores it over plain HTTP anyway (§7.2) and it would mislead there.
export interface HstsOptions {
  maxAge: number;
  preload: boolean;
}

export function hstsValue({ maxAge, preload }: HstsOptions): string {
  return `max-age=${maxAge}; includeSubDomains${preload ? '; preload' : ''}`;
}
