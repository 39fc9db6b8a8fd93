// Puts a service's request handler on the network, the way production needs it:
// - HTTPS natively when a certificate is configured: TLS 1.3 only, certificate
//   reloaded without restart (tls.ts), HSTS on every HTTPS response (hsts.ts);
// - optionally a plain-HTTP listener that only redirects (redirect.ts);
// - forwarded headers trusted only from declared proxies (proxy-trust.ts);
// - slowloris bounded: headers and the whole request must arrive in time, or
//   Node answers 408 and closes; the TLS handshake has the same bound;
// - /healthz and /readyz answered before the application (probes.ts);
// - graceful shutdown: stop accepting, let in-flight requests finish (their
//   responses say `Connection: close`), cut what remains at the deadline.
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TransportSettings } from '@passerelle/config';
import type { Logger } from '@passerelle/log';
import { hstsValue } from './hsts.ts';
import type { Probes } from './probes.ts';
import { createProxyTrust } from './proxy-trust.ts';
import { redirectToHttps } from './redirect.ts';
import { loadCertificate, tlsVersions, watchCertificate, type CertificateWatch } from './tls.ts';

export interface ServeOptions {
  host: string;
  port: number;
  transport: TransportSettings;
  probes: Probes;
  log: Logger;
  /** The service's public https origin, for the redirect listener; derived from Host otherwise. */
  publicOrigin?: string | undefined;
}

export interface Listening {
  /** `https://…` or `http://…` with the bound port. */
  url: string;
  /** The redirect listener's `http://…`, when one runs. */
  redirectUrl: string | undefined;
  server: Server;
  /** Re-reads the certificate files now, instead of at the next interval. */
  checkCertificate(): void;
  /** Stops accepting, waits for in-flight requests up to the deadline, then cuts the rest. */
  shutdown(): Promise<{ forced: boolean }>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlOf(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  return (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
}

export async function serve(handler: RequestListener, options: ServeOptions): Promise<Listening> {
  const { transport, probes, log } = options;
  const trust = createProxyTrust(transport.trustedProxies);
  const hsts = hstsValue(transport.hsts);
  const requestMs = Math.max(transport.timeouts.requestMs, transport.timeouts.headersMs);
  const httpOptions = {
    headersTimeout: transport.timeouts.headersMs,
    requestTimeout: requestMs,
    keepAliveTimeout: transport.timeouts.keepAliveMs,
    // Node checks the two timeouts above on this interval (30 s by default).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(transport.timeouts.headersMs / 2))),
  };
  let draining = false;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    trust.sanitize(req);
    const overHttps = (req.socket as TLSSocket).encrypted === true
      || (trust.trusts(req.socket.remoteAddress) && firstValue(req.headers['x-forwarded-proto']) === 'https');
    // Probe answers too: every HTTPS response carries HSTS, not only the application's.
    if (overHttps) res.setHeader('Strict-Transport-Security', hsts);
    if (draining) res.setHeader('Connection', 'close');
    if (probes.handle(req, res)) return;
    handler(req, res);
  };

  let server: Server;
  let watch: CertificateWatch | undefined;
  if (transport.tls) {
    const { fingerprint, ...certificate } = loadCertificate(transport.tls);
    const tlsServer = createHttpsServer({ ...httpOptions, ...certificate, ...tlsVersions, handshakeTimeout: transport.timeouts.headersMs }, onRequest);
    watch = watchCertificate(transport.tls, fingerprint, (next) => tlsServer.setSecureContext({ ...next, ...tlsVersions }), {
      intervalMs: transport.tls.reloadIntervalMs, log,
    });
    server = tlsServer as unknown as Server;
  } else {
    server = createHttpServer(httpOptions, onRequest);
  }
  server.keepAliveTimeout = transport.timeouts.keepAliveMs;
  server.on('tlsClientError', (err: Error & { code?: string }) => log.debug({ event: 'tls.handshake_failed', code: err.code }, 'TLS handshake failed'));

  const port = await listen(server, options.port, options.host);
  const url = urlOf(transport.tls ? 'https' : 'http', options.host, port);

  let redirect: Server | undefined;
  let redirectUrl: string | undefined;
  if (transport.tls && transport.redirectPort !== undefined) {
    redirect = createHttpServer(httpOptions, redirectToHttps(probes, port, options.publicOrigin));
    redirectUrl = urlOf('http', options.host, await listen(redirect, transport.redirectPort, options.host));
  }

  let stopping: Promise<{ forced: boolean }> | undefined;
  async function drain(): Promise<{ forced: boolean }> {
    draining = true;
    probes.drain();
    watch?.stop();
    const closed = Promise.all([server, redirect].filter((s) => s !== undefined).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    // A connection that was mid-response when draining began goes idle after it; close it then.
    const sweep = setInterval(() => { server.closeIdleConnections(); redirect?.closeIdleConnections(); }, 50);
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      log.warn({ event: 'shutdown.forced', deadlineMs: transport.shutdownTimeoutMs }, 'in-flight requests did not finish before the deadline: closing their connections');
      server.closeAllConnections();
      redirect?.closeAllConnections();
    }, transport.shutdownTimeoutMs);
    redirect?.closeAllConnections();
    server.closeIdleConnections();
    await closed;
    clearInterval(sweep);
    clearTimeout(deadline);
    return { forced };
  }

  return {
    url,
    redirectUrl,
    server,
    checkCertificate: () => watch?.check(),
    shutdown: () => (stopping ??= drain()),
  };
}
