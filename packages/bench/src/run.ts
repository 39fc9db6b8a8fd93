// One bench run: every server in its own process, all started first; then
// rounds in which each target is loaded alone, one after the other, with the
// same load. Interleaving the targets round by round, and taking each one's
// median round, keeps a neighbour's burst of work on a shared machine from
// landing on one target only. Beside req/s, each run reports the serving
// process's CPU time per request, which moves less with the machine's load.
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type ServerProcess } from './child.ts';
import { measure, warmUp, type LoadOptions, type LoadResult, type LoadTarget } from './load.ts';
import { startPasserelle, type PasserelleUnderBench } from './passerelle.ts';
import { issueToken, measurePropagation, type PropagationResult } from './revocation.ts';
import { CHAIN_HELLO_PATH } from './servers/chain-hello.ts';

export interface BenchOptions extends LoadOptions {
  /** rounds of measurements; each target's median round is reported */
  rounds: number;
  revocationSamples: number;
  /** measure only these targets (and skip revocation propagation); every target when omitted */
  only?: readonly TargetName[];
}

export interface Measured extends LoadResult {
  /** CPU time (user + system) the serving process spent per request during the run, in microseconds */
  cpuMicrosPerRequest: number;
  /** peak RSS of the serving process, in MB, by process name */
  peakRssMb: Record<string, number>;
  /** req/s of every round, in order */
  rounds: number[];
}

export const targetNames = ['bareKoa', 'fullChainBearer', 'fullChainBasic', 'chainOverhead', 'barePrisma', 'bareRateLimit', 'tokenEndpoint', 'bareOidcProvider'] as const;
export type TargetName = typeof targetNames[number];

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  mode: 'shared' | 'embedded';
  options: BenchOptions;
  /** the API path the full-chain runs request */
  chainPath: string;
  /** every target unless `only` was given; barePrisma in the shared mode only (the embedded database lives inside the services' process) */
  runs: Partial<Record<TargetName, Measured>>;
  ratios: {
    /** the issue's figure: the full chain (order read included) against a server that does no I/O */
    fullChainVsBareKoa?: number;
    /** the chain alone: the same middleware and guard in front of a handler that does no I/O */
    chainOverheadVsBareKoa?: number;
    /** bare Koa + the one Redis round trip of a rate-limit decision, against bare Koa: the ceiling of fullChainVsBareKoa (shared mode) */
    floorVsBareKoa?: number;
    /** the full chain against bare Koa doing the same one Prisma read (shared mode) */
    fullChainVsBarePrisma?: number;
    tokenVsBareOidcProvider?: number;
    /** the same comparisons by CPU time per request (bare / ours: 1 means as cheap as bare) */
    fullChainVsBareKoaByCpu?: number;
    tokenVsBareOidcProviderByCpu?: number;
  };
  targets: { fullChainVsBareKoa: number; tokenVsBareOidcProvider: number; revocationMaxMs: number };
  /** measured in full runs only (not with `only`) */
  revocation?: PropagationResult;
}

interface Target {
  name: TargetName;
  label: string;
  server: { name: string; process: ServerProcess };
  load: LoadTarget;
}

interface Round extends LoadResult {
  cpuMicrosPerRequest: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
/** a / b to two decimals; undefined when either side was not measured */
function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.round((a / b) * 100) / 100;
}
const CHAIN_SCOPE = 'partner:read orders:read';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** One measured run of `target`, with the serving process's CPU time around it. */
async function measureRound(target: Target, options: LoadOptions, round: number): Promise<Round> {
  // BENCH_CPU_PROF_DIR: a CPU profile of each target's first round is written there.
  const profileDir = round === 0 ? process.env['BENCH_CPU_PROF_DIR'] : undefined;
  if (profileDir) await target.server.process.profile('start');
  const before = await target.server.process.usage();
  const result = await measure(target.load, options);
  const after = await target.server.process.usage();
  if (profileDir) await target.server.process.profile('stop', join(resolve(profileDir), `${target.name}.cpuprofile`));
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors in ${result.requests} requests`);
  }
  return { ...result, cpuMicrosPerRequest: Math.round((after.cpuMicros - before.cpuMicros) / Math.max(1, result.requests)) };
}

function median(rounds: Round[]): Round {
  return [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor((rounds.length - 1) / 2)]!;
}

async function targetsOf(koa: ServerProcess, passerelle: PasserelleUnderBench, oidc: ServerProcess): Promise<{ targets: Target[]; chainPath: string }> {
  const chainUrl = `${passerelle.apiUrl}/v1/orders/${passerelle.client.orderId}`;
  const token = await issueToken(passerelle.authUrl, passerelle.client, CHAIN_SCOPE);
  const { barePrisma, bareRateLimit } = passerelle;
  // Both token endpoints get the same request, scope included.
  const tokenRequest = new URLSearchParams({ grant_type: 'client_credentials', scope: CHAIN_SCOPE }).toString();
  const clientBasic = basic(passerelle.client.clientId, passerelle.client.clientSecret);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const bare = oidc.ready.fixtures!;
  return {
    chainPath: '/v1/orders/{id}',
    targets: [
      { name: 'bareKoa', label: 'bare Koa', server: { name: 'koa', process: koa }, load: { url: koa.ready.urls['app']! } },
      { name: 'fullChainBearer', label: 'full chain (Bearer)', server: passerelle.api, load: { url: chainUrl, headers: { authorization: `Bearer ${token}` } } },
      { name: 'fullChainBasic', label: 'full chain (Basic)', server: passerelle.api, load: { url: chainUrl, headers: { authorization: clientBasic } } },
      { name: 'chainOverhead', label: 'chain overhead (Bearer, hello)', server: passerelle.api, load: { url: `${passerelle.apiUrl}${CHAIN_HELLO_PATH}`, headers: { authorization: `Bearer ${token}` } } },
      ...(barePrisma ? [{
        name: 'barePrisma' as const, label: 'bare Koa + Prisma findUnique', server: { name: 'koa+prisma', process: barePrisma },
        load: { url: `${barePrisma.ready.urls['app']!}/${passerelle.client.orderId}` },
      }] : []),
      ...(bareRateLimit ? [{
        name: 'bareRateLimit' as const, label: 'bare Koa + one rate-limit decision', server: { name: 'koa+limiter', process: bareRateLimit },
        load: { url: bareRateLimit.ready.urls['app']! },
      }] : []),
      {
        name: 'tokenEndpoint', label: 'token endpoint', server: passerelle.auth,
        load: { url: `${passerelle.authUrl}/token`, method: 'POST', headers: { authorization: clientBasic, ...form }, body: tokenRequest },
      },
      {
        name: 'bareOidcProvider', label: 'bare oidc-provider', server: { name: 'oidc-provider', process: oidc },
        load: { url: `${oidc.ready.urls['auth']!}/token`, method: 'POST', headers: { authorization: basic(bare['clientId']!, bare['clientSecret']!), ...form }, body: tokenRequest },
      },
    ],
  };
}

export async function runBench(options: BenchOptions, progress: (line: string) => void = () => {}): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadavg().map((l) => Math.round(l * 100) / 100);

  progress('starting the servers');
  const koa = await startServer('bare-koa', {});
  const oidc = await startServer('bare-oidc', {});
  const passerelle = await startPasserelle();
  try {
    const all = await targetsOf(koa, passerelle, oidc);
    const { chainPath } = all;
    const targets = options.only ? all.targets.filter((t) => options.only!.includes(t.name)) : all.targets;
    for (const target of targets) {
      progress(`warming up: ${target.label}`);
      await warmUp(target.load, options);
    }
    const rounds = new Map<TargetName, Round[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < options.rounds; round += 1) {
      for (const target of targets) {
        progress(`round ${round + 1}/${options.rounds}: ${target.label}`);
        rounds.get(target.name)!.push(await measureRound(target, options, round));
      }
    }

    if (!options.only) progress('revocation propagation');
    const revocation = options.only ? undefined : await measurePropagation({
      authUrl: passerelle.authUrl, apiUrl: passerelle.apiUrl, path: `/v1/orders/${passerelle.client.orderId}`,
      client: passerelle.client, scope: CHAIN_SCOPE, samples: options.revocationSamples,
    });

    const runs: BenchResults['runs'] = {};
    for (const target of targets) {
      const all = rounds.get(target.name)!;
      const { maxRssBytes } = await target.server.process.usage();
      runs[target.name] = { ...median(all), rounds: all.map((r) => r.reqPerSec), peakRssMb: { [target.server.name]: mb(maxRssBytes) } };
    }
    return {
      startedAt,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverageBefore,
        loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      mode: passerelle.mode,
      options,
      chainPath,
      runs,
      ratios: {
        fullChainVsBareKoa: ratio(runs.fullChainBearer?.reqPerSec, runs.bareKoa?.reqPerSec),
        chainOverheadVsBareKoa: ratio(runs.chainOverhead?.reqPerSec, runs.bareKoa?.reqPerSec),
        floorVsBareKoa: ratio(runs.bareRateLimit?.reqPerSec, runs.bareKoa?.reqPerSec),
        fullChainVsBarePrisma: ratio(runs.fullChainBearer?.reqPerSec, runs.barePrisma?.reqPerSec),
        tokenVsBareOidcProvider: ratio(runs.tokenEndpoint?.reqPerSec, runs.bareOidcProvider?.reqPerSec),
        fullChainVsBareKoaByCpu: ratio(runs.bareKoa?.cpuMicrosPerRequest, runs.fullChainBearer?.cpuMicrosPerRequest),
        tokenVsBareOidcProviderByCpu: ratio(runs.bareOidcProvider?.cpuMicrosPerRequest, runs.tokenEndpoint?.cpuMicrosPerRequest),
      },
      targets: { fullChainVsBareKoa: 0.85, tokenVsBareOidcProvider: 0.85, revocationMaxMs: 1_000 },
      revocation,
    };
  } finally {
    await Promise.all([koa.stop(), oidc.stop(), passerelle.stop()]);
  }
}
