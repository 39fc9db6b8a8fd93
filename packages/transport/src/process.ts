// A service process's life: start, then on SIGTERM (or SIGINT) drain every
// listener, close what the service opened (revocation mirror, Redis, the
// database) and exit 0. A second signal exits at once. A start-up failure
// exits 1; a configuration error prints its one line (`invalid configuration:
// VARIABLE: reason`) and nothing else, so the operator sees what to fix.
import { ConfigError } from '@passerelle/config';
import type { Logger } from '@passerelle/log';

export interface RunningService {
  log: Logger;
  listeners: { shutdown(): Promise<{ forced: boolean }> }[];
  /** Closes the service's own resources, after the listeners have drained. */
  close(): Promise<void>;
}

export interface RunOptions {
  /** Errors that are reported by their message alone (besides ConfigError). */
  oneLine?: (err: unknown) => boolean;
}

export function runService(start: () => Promise<RunningService>, options: RunOptions = {}): void {
  start().then((running) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        running.log.warn({ event: 'shutdown.aborted', signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      running.log.info({ event: 'shutdown.started', signal }, 'shutting down: draining in-flight requests');
      Promise.all(running.listeners.map((l) => l.shutdown()))
        .then(async (results) => {
          await running.close();
          running.log.info({ event: 'shutdown.complete', forced: results.some((r) => r.forced) }, 'shut down');
          process.exit(0);
        })
        .catch((err: unknown) => {
          running.log.error({ err, event: 'shutdown.failed' }, 'shutdown failed');
          process.exit(1);
        });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  }, (err: unknown) => {
    if (err instanceof ConfigError || options.oneLine?.(err)) console.error((err as Error).message);
    else console.error(err);
    process.exit(1);
  });
}
