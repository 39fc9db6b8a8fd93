// The portal's cookie names and attributes. Over HTTPS every cookie is Secure
// and `__Host-` prefixed (no Domain, Path=/), so no sibling subdomain can set
// or shadow it; over plain HTTP (development on localhost) the same names
// without the prefix. All are HttpOnly: no script ever reads them.
export interface CookieNames {
  session: string;
  login: string;
  csrf: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}passerelle-portal`, login: `${prefix}passerelle-portal-login`, csrf: `${prefix}passerelle-portal-csrf` };
}

/** Attributes of the session and login cookies: Lax, so the redirect back from the auth service carries them. */
export function cookieOptions(secure: boolean, maxAgeSeconds?: number) {
  return {
    httpOnly: true, secure, sameSite: 'lax' as const, path: '/', signed: false, overwrite: true,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds * 1000 } : {}),
  };
}
