// Kubernetes-style probes, answered before the application (no logging, no
// guard, no database for liveness):
// - GET /healthz: liveness, 200 while the process can answer at all;
// - GET /readyz: readiness, 200 when every dependency check passes and the
//   process is not draining, else 503 naming the failed checks (never why).
// Results are cached for `cacheMs`, so a probe storm costs one check per window.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type DependencyCheck = () => Promise<void>;

export interface Readiness {
  ready: boolean;
  draining: boolean;
  checks: Record<string, 'ok' | 'failed'>;
}

export interface Probes {
  /** Answers /healthz and /readyz; returns false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  readiness(): Promise<Readiness>;
  /** From now on readiness fails: the process is shutting down. */
  drain(): void;
}

export const probePaths = ['/healthz', '/readyz'] as const;

async function run(check: DependencyCheck, timeoutMs: number): Promise<'ok' | 'failed'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'failed'>((resolve) => { timer = setTimeout(() => resolve('failed'), timeoutMs); });
  try {
    return await Promise.race([check().then(() => 'ok' as const, () => 'failed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createProbes(checks: Record<string, DependencyCheck>, { cacheMs = 1_000, timeoutMs = 2_000 } = {}): Probes {
  let draining = false;
  let cached: { at: number; result: Promise<Record<string, 'ok' | 'failed'>> } | undefined;

  const runChecks = () => {
    if (!cached || Date.now() - cached.at >= cacheMs) {
      const result = Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(check, timeoutMs)] as const))
        .then((entries) => Object.fromEntries(entries));
      cached = { at: Date.now(), result };
    }
    return cached.result;
  };

  async function readiness(): Promise<Readiness> {
    const results = await runChecks();
    return { ready: !draining && Object.values(results).every((r) => r === 'ok'), draining, checks: results };
  }

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
    res.end(JSON.stringify(body));
  }

  return {
    handle(req, res) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/healthz' && path !== '/readyz') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (path === '/healthz') {
        send(res, 200, { status: 'ok' });
        return true;
      }
      readiness().then(
        (r) => send(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : draining ? 'draining' : 'not_ready', checks: r.checks }),
        () => send(res, 503, { status: 'not_ready' }),
      );
      return true;
    },
    readiness,
    drain() {
      draining = true;
    },
  };
}
