// The optional plain-HTTP listener: it serves nothing but probes and a 308 to
// the same path over HTTPS (308 keeps the method and body, unlike 301/302, so a
// misconfigured POST is not silently turned into a GET). The target origin is
// the configured public one when known, so a forged Host cannot steer it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Probes } from './probes.ts';

export function redirectToHttps(probes: Probes, httpsPort: number, publicOrigin: string | undefined) {
  return function redirect(req: IncomingMessage, res: ServerResponse): void {
    if (probes.handle(req, res)) return;
    let origin = publicOrigin;
    if (!origin) {
      const host = req.headers.host ?? '';
      const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : '';
      if (!hostname) {
        res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('Bad Request');
        return;
      }
      origin = `https://${hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
    }
    const path = (req.url ?? '/').startsWith('/') ? req.url ?? '/' : '/';
    res.writeHead(308, { location: `${origin}${path}`, 'content-length': '0', 'cache-control': 'no-store' }).end();
  };
}

/** The origin of `url` when it is an https URL (a service's public address), else undefined. */
export function httpsOriginOf(url: string): string | undefined {
  return URL.canParse(url) && new URL(url).protocol === 'https:' ? new URL(url).origin : undefined;
}
