// The Prometheus metrics an SRE asks of an OAuth server and its API (issue 6).
// One registry per process; every metric is created here, typed by its labels,
// so other modules increment a named field rather than invent metric names.
// Label values are bounded by construction (route templates, OAuth error codes,
// Problem codes), never raw paths or client ids, so cardinality stays fixed.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MirrorStats {
  lastLagMs: number | undefined;
  lastSyncAt: number;
  entries: number;
}

export interface DependencyStatus {
  checks: Record<string, 'ok' | 'failed'>;
}

export interface Metrics {
  readonly registry: Registry;
  /** Request latency by method, route template and status; its `_count` counts requests. */
  readonly httpRequests: Histogram<'method' | 'route' | 'status'>;
  /** Access tokens issued, by grant type. */
  readonly tokensIssued: Counter<'grant_type'>;
  /** Refused authentications, by reason (an OAuth error or Problem code). */
  readonly authFailures: Counter<'reason'>;
  /** Requests refused by a rate limiter or lockout, by limiter name. */
  readonly rateLimitRejections: Counter<'limiter'>;
  /** Revocations written, by kind (token, client, user). */
  readonly revocations: Counter<'kind'>;
  /** Reads the revocation mirror's stats at each scrape. */
  observeRevocationMirror(stats: () => MirrorStats): void;
  /** Reads the dependency checks (database, redis, jwks…) at each scrape. */
  observeDependencies(status: () => Promise<DependencyStatus>): void;
}

export function createMetrics({ service }: { service: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'passerelle_' });

  let mirror: (() => MirrorStats) | undefined;
  let dependencies: (() => Promise<DependencyStatus>) | undefined;

  const metrics: Metrics = {
    registry,
    httpRequests: new Histogram({
      name: 'passerelle_http_request_duration_seconds', help: 'HTTP request latency by method, route template and status.',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
    }),
    tokensIssued: new Counter({
      name: 'passerelle_tokens_issued_total', help: 'Access tokens issued, by grant type.', labelNames: ['grant_type'], registers: [registry],
    }),
    authFailures: new Counter({
      name: 'passerelle_auth_failures_total', help: 'Refused authentications, by reason.', labelNames: ['reason'], registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: 'passerelle_rate_limit_rejections_total', help: 'Requests refused by a rate limiter or lockout.', labelNames: ['limiter'], registers: [registry],
    }),
    revocations: new Counter({
      name: 'passerelle_revocations_total', help: 'Revocations written, by kind.', labelNames: ['kind'], registers: [registry],
    }),
    observeRevocationMirror(stats) { mirror = stats; },
    observeDependencies(status) { dependencies = status; },
  };

  new Gauge({
    name: 'passerelle_revocation_mirror_lag_seconds', help: 'How late the last revocation broadcast reached this process.', registers: [registry],
    collect() { const lag = mirror?.().lastLagMs; if (lag !== undefined) this.set(lag / 1000); },
  });
  new Gauge({
    name: 'passerelle_revocation_mirror_staleness_seconds', help: 'Time since the revocation mirror last synced with the store.', registers: [registry],
    collect() { if (mirror) this.set(Math.max(0, Date.now() - mirror().lastSyncAt) / 1000); },
  });
  new Gauge({
    name: 'passerelle_revocation_mirror_entries', help: 'Revocations held in this process\'s mirror.', registers: [registry],
    collect() { if (mirror) this.set(mirror().entries); },
  });
  new Gauge({
    name: 'passerelle_dependency_up', help: '1 when the dependency answered its readiness check, 0 when not.', labelNames: ['dependency'], registers: [registry],
    async collect() {
      if (!dependencies) return;
      const { checks } = await dependencies();
      for (const [dependency, result] of Object.entries(checks)) this.set({ dependency }, result === 'ok' ? 1 : 0);
    },
  });
  return metrics;
}
