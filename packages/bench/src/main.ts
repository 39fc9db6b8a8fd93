// `pnpm bench`: measures bare Koa, the API's full chain, the chain alone in
// front of a hello handler, bare Koa + one Prisma read, the token endpoint and
// bare oidc-provider, each in its own process, prints req/s, p50, p99, peak RSS
// and the ratios against the targets, and writes the figures as JSON.
// Not part of the test suite: figures depend on the machine and its load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@passerelle/config';
import { runBench, targetNames, type BenchResults, type Measured, type TargetName } from './run.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    samples: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench-results/latest.json' },
    only: { type: 'string' },
  },
});

function row(name: string, m: Measured | undefined): string[] {
  if (!m) return [];
  const rss = Object.entries(m.peakRssMb).map(([k, v]) => `${k} ${v} MB`).join(', ');
  return [`${name.padEnd(42)} ${String(m.reqPerSec).padStart(7)} req/s   p50 ${String(m.p50Ms).padStart(4)} ms   p99 ${String(m.p99Ms).padStart(4)} ms   CPU ${String(m.cpuMicrosPerRequest).padStart(5)} µs/req   peak RSS: ${rss}`];
}

/** A ratio line, when both of its sides were measured. */
function line(label: string, value: number | undefined, note: string): string[] {
  return value === undefined ? [] : [`${label.padEnd(34)}${value}  (${note})`];
}

function report(r: BenchResults): string {
  const verdict = (value: number | undefined, target: number) => `target ≥ ${target}: ${value !== undefined && value >= target ? 'meets' : 'MISSES'}`;
  const { runs, ratios, revocation } = r;
  return [
    `mode: ${r.mode}; ${r.machine.cpus} × ${r.machine.cpuModel}; Node ${r.machine.node}; load average ${r.machine.loadAverageBefore.join(' ')} → ${r.machine.loadAverageAfter.join(' ')}`,
    `${r.options.connections} connections, ${r.options.durationSeconds} s per run after ${r.options.warmupSeconds} s of warm-up; median of ${r.options.rounds} interleaved rounds`,
    '',
    ...row('bare Koa (hello)', runs.bareKoa),
    ...row(`full chain, Bearer (GET ${r.chainPath})`, runs.fullChainBearer),
    ...row(`full chain, Basic (GET ${r.chainPath})`, runs.fullChainBasic),
    ...row('chain overhead (Bearer, hello, no I/O)', runs.chainOverhead),
    ...row('bare Koa + Prisma findUnique', runs.barePrisma),
    ...row('bare Koa + one rate-limit decision', runs.bareRateLimit),
    ...row('token endpoint (client credentials)', runs.tokenEndpoint),
    ...row('bare oidc-provider (static client)', runs.bareOidcProvider),
    '',
    ...line('full chain / bare Koa:', ratios.fullChainVsBareKoa, verdict(ratios.fullChainVsBareKoa, r.targets.fullChainVsBareKoa)),
    ...line('floor / bare Koa:', ratios.floorVsBareKoa, 'bare Koa + one Redis rate-limit round trip: no full chain can beat it'),
    ...line('chain overhead / bare Koa:', ratios.chainOverheadVsBareKoa, 'the guard and middleware alone, Redis round trip included'),
    ...line('full chain / bare Koa + Prisma:', ratios.fullChainVsBarePrisma, 'the chain against the same database read'),
    ...line('token / bare oidc-provider:', ratios.tokenVsBareOidcProvider, verdict(ratios.tokenVsBareOidcProvider, r.targets.tokenVsBareOidcProvider)),
    ...line('full chain, by CPU (bare / ours):', ratios.fullChainVsBareKoaByCpu, 'CPU time per request'),
    ...line('token, by CPU (bare / ours):', ratios.tokenVsBareOidcProviderByCpu, 'CPU time per request'),
    ...(revocation ? [`revocation reaches the API in:    median ${revocation.medianMs} ms, max ${revocation.maxMs} ms over ${revocation.samplesMs.length} samples (target < ${r.targets.revocationMaxMs} ms: ${revocation.maxMs < r.targets.revocationMaxMs ? 'meets' : 'MISSES'})`] : []),
  ].join('\n');
}

function targetsOption(value: string | undefined): TargetName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(targetNames as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--only: unknown target ${unknown.join(', ')} (known: ${targetNames.join(', ')})`);
  return names as TargetName[];
}

const results = await runBench({
  durationSeconds: Number(values.duration),
  warmupSeconds: Number(values.warmup),
  connections: Number(values.connections),
  rounds: Number(values.rounds),
  revocationSamples: Number(values.samples),
  ...(values.only === undefined ? {} : { only: targetsOption(values.only) }),
}, (line) => console.error(`… ${line}`));
console.log(report(results));
const out = resolve(workspaceRoot(), values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${out}`);
