// One load run with autocannon, after a warm-up. Every answer must be the expected status: a bench that
// counts 401s or 429s as throughput measures nothing.
import autocannon from 'autocannon';

export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** answers that were not 2xx, and connection errors or timeouts */
  non2xx: number;
  errors: number;
}

function run(target: LoadTarget, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    connections,
    duration,
  });
}

/** One request first: a target that does not answer 2xx is a broken set-up, said plainly. */
async function probe(target: LoadTarget): Promise<void> {
  const res = await fetch(target.url, { method: target.method ?? 'GET', headers: target.headers, body: target.body });
  const body = await res.text();
  if (!res.ok) throw new Error(`${target.method ?? 'GET'} ${target.url} answered ${res.status}: ${body.slice(0, 300)}`);
}

/** Checks the target answers 2xx, then loads it for the warm-up (JIT, caches, connection pools). */
export async function warmUp(target: LoadTarget, options: LoadOptions): Promise<void> {
  await probe(target);
  if (options.warmupSeconds > 0) await run(target, options.connections, options.warmupSeconds);
}

export async function measure(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const result = await run(target, options.connections, options.durationSeconds);
  return {
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
