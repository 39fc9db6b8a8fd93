// `pnpm bench`: measures bare Koa, the API's full chain, the chain alone in
// front of a hello handler, bare Koa + one Prisma read, the token endpoint and
// bare oidc-provider, each in its own process, prints req/s, p50, p99, peak RSS
// and the ratios against the targets, and writes the figures as JSON.
// Not part of the test suite: figures depend on the machine and its load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@passerelle/config';
import { runBench, type BenchResults, type Measured } from './run.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    samples: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench-results/latest.json' },
  },
});

function row(name: string, m: Measured): string {
  const rss = Object.entries(m.peakRssMb).map(([k, v]) => `${k} ${v} MB`).join(', ');
  return `${name.padEnd(42)} ${String(m.reqPerSec).padStart(7)} req/s   p50 ${String(m.p50Ms).padStart(4)} ms   p99 ${String(m.p99Ms).padStart(4)} ms   CPU ${String(m.cpuMicrosPerRequest).padStart(5)} µs/req   peak RSS: ${rss}`;
}

function report(r: BenchResults): string {
  const verdict = (value: number, target: number, atLeast = true) => ((atLeast ? value >= target : value < target) ? 'meets' : 'MISSES');
  return [
    `mode: ${r.mode}; ${r.machine.cpus} × ${r.machine.cpuModel}; Node ${r.machine.node}; load average ${r.machine.loadAverageBefore.join(' ')} → ${r.machine.loadAverageAfter.join(' ')}`,
    `${r.options.connections} connections, ${r.options.durationSeconds} s per run after ${r.options.warmupSeconds} s of warm-up; median of ${r.options.rounds} interleaved rounds`,
    '',
    row('bare Koa (hello)', r.runs.bareKoa),
    row(`full chain, Bearer (GET ${r.chainPath})`, r.runs.fullChainBearer),
    row(`full chain, Basic (GET ${r.chainPath})`, r.runs.fullChainBasic),
    row('chain overhead (Bearer, hello, no I/O)', r.runs.chainOverhead),
    ...(r.runs.barePrisma ? [row('bare Koa + Prisma findUnique', r.runs.barePrisma)] : []),
    row('token endpoint (client credentials)', r.runs.tokenEndpoint),
    row('bare oidc-provider (static client)', r.runs.bareOidcProvider),
    '',
    `full chain / bare Koa:            ${r.ratios.fullChainVsBareKoa}  (target ≥ ${r.targets.fullChainVsBareKoa}: ${verdict(r.ratios.fullChainVsBareKoa, r.targets.fullChainVsBareKoa)})`,
    `chain overhead / bare Koa:        ${r.ratios.chainOverheadVsBareKoa}  (the guard and middleware alone, Redis round trip included)`,
    ...(r.ratios.fullChainVsBarePrisma !== undefined ? [`full chain / bare Koa + Prisma:   ${r.ratios.fullChainVsBarePrisma}  (the chain against the same database read)`] : []),
    `token / bare oidc-provider:       ${r.ratios.tokenVsBareOidcProvider}  (target ≥ ${r.targets.tokenVsBareOidcProvider}: ${verdict(r.ratios.tokenVsBareOidcProvider, r.targets.tokenVsBareOidcProvider)})`,
    `by CPU per request (bare / ours): full chain ${r.ratios.fullChainVsBareKoaByCpu}, token endpoint ${r.ratios.tokenVsBareOidcProviderByCpu}`,
    `revocation reaches the API in:    median ${r.revocation.medianMs} ms, max ${r.revocation.maxMs} ms over ${r.revocation.samplesMs.length} samples (target < ${r.targets.revocationMaxMs} ms: ${verdict(r.revocation.maxMs, r.targets.revocationMaxMs, false)})`,
  ].join('\n');
}

const results = await runBench({
  durationSeconds: Number(values.duration),
  warmupSeconds: Number(values.warmup),
  connections: Number(values.connections),
  rounds: Number(values.rounds),
  revocationSamples: Number(values.samples),
}, (line) => console.error(`… ${line}`));
console.log(report(results));
const out = resolve(workspaceRoot(), values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${out}`);
