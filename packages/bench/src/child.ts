// The protocol between the bench and each server it measures. Every server
// runs in its own child process, so that its peak RSS is its own: the child
// starts, says `ready` with its URLs, answers `report` with its peak RSS, and
// exits on `stop`.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Ready {
  type: 'ready';
  urls: Record<string, string>;
  /** whatever the server set up for the bench (e.g. a registered client) */
  fixtures?: Record<string, string>;
}

interface Report {
  type: 'report';
  maxRssBytes: number;
  /** user + system CPU time since the process started, in microseconds */
  cpuMicros: number;
}

export type Usage = Omit<Report, 'type'>;

export interface Started {
  stop(): Promise<void>;
}

interface ProfileMessage {
  type: 'profile';
  action: 'start' | 'stop';
  file?: string;
}

let profiler: Session | undefined;

/** A V8 CPU profile of the measured run only (not of start-up), for finding what a request costs. */
async function profile({ action, file }: ProfileMessage): Promise<void> {
  if (action === 'start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  } else if (profiler && file) {
    const { profile: taken } = await profiler.post('Profiler.stop');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(taken));
    profiler.disconnect();
    profiler = undefined;
  }
  process.send!({ type: 'profiled' });
}

/** Child side: start the server, then follow the parent's messages. */
export function serveForBench(start: () => Promise<Omit<Ready, 'type'> & Started>): void {
  start().then((started) => {
    process.on('message', (message: { type: string }) => {
      if (message.type === 'report') {
        const { user, system } = process.cpuUsage();
        const report: Report = { type: 'report', maxRssBytes: process.resourceUsage().maxRSS * 1024, cpuMicros: user + system };
        process.send!(report);
      } else if (message.type === 'profile') {
        void profile(message as ProfileMessage);
      } else if (message.type === 'stop') {
        void started.stop().finally(() => process.exit(0));
      }
    });
    // A parent that died (a failed run, Ctrl-C) must not leave servers behind, holding ports and connections.
    process.on('disconnect', () => {
      void started.stop().finally(() => process.exit(0));
    });
    const ready: Ready = { type: 'ready', urls: started.urls, ...(started.fixtures ? { fixtures: started.fixtures } : {}) };
    process.send!(ready);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

export interface ServerProcess {
  readonly pid: number;
  readonly ready: Ready;
  /** the child's peak resident set size and CPU time so far */
  usage(): Promise<Usage>;
  /** starts a CPU profile, or stops it into `file` */
  profile(action: 'start' | 'stop', file?: string): Promise<void>;
  stop(): Promise<void>;
}

const serversDir = new URL('./servers/', import.meta.url);

/** Parent side: forks `servers/<name>.ts` with `env` and waits until it is ready. */
export async function startServer(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL(`${name}.ts`, serversDir)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    // Request logs go nowhere (but are still written, as in production); errors show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench server ${name} exited with ${String(code)} before it was ready`);
  });
  const ready = await Promise.race([
    new Promise<Ready>((resolve) => child.on('message', (m: Ready) => m.type === 'ready' && resolve(m))),
    exited,
  ]);
  exited.catch(() => {});
  return {
    pid: child.pid!,
    ready,
    async usage() {
      const report = new Promise<Report>((resolve) => {
        const onMessage = (m: Report) => {
          if (m.type !== 'report') return;
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
      });
      child.send({ type: 'report' });
      const { maxRssBytes, cpuMicros } = await report;
      return { maxRssBytes, cpuMicros };
    },
    async profile(action, file) {
      const done = new Promise<void>((resolve) => {
        const onMessage = (m: { type: string }) => {
          if (m.type !== 'profiled') return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
      });
      child.send({ type: 'profile', action, file });
      await done;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const gone = once(child, 'exit');
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
