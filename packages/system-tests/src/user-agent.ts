// A minimal cookie-keeping HTTP user agent for tests that walk the
// authorization-code flow without a browser: it follows nothing by itself, so
// a test sees (and can tamper with) every redirect.
export interface Page {
  status: number;
  location: string | undefined;
  body: string;
  headers: Headers;
}

export class UserAgent {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line received, attributes included. */
  readonly setCookies: string[] = [];

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now());
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { cookie: this.cookieHeader(), ...init.headers } });
    this.remember(res);
    return { status: res.status, location: res.headers.get('location') ?? undefined, body: await res.text(), headers: res.headers };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Follows same-origin redirects until one leaves `origin` (or a page is answered). */
  async follow(start: Page, origin: string): Promise<Page> {
    let page = start;
    for (let hops = 0; hops < 10 && page.location; hops++) {
      const next = new URL(page.location, origin);
      if (next.origin !== origin) return page;
      page = await this.get(next.href);
    }
    return page;
  }
}

/** The CSRF token of the first form on a page. */
export function csrfOf(page: Page): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.body);
  if (!match) throw new Error(`no CSRF token on the page (status ${page.status})`);
  return match[1]!;
}
