// How the db scripts end: a typed failure prints its message alone and exits 1;
// anything else prints in full, since it is a bug or an unexpected environment.
import { DatabaseLockedError, MigrationError } from '../errors.ts';

export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof DatabaseLockedError || error instanceof MigrationError) console.error(`error: ${error.message}`);
      else console.error(error);
      process.exitCode = 1;
    },
  );
}
