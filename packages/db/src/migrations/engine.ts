// Prisma's CLI drives migrations through a native schema-engine binary that it
// downloads from a host this project cannot reach. The same engine ships on npm
// compiled to WebAssembly (@prisma/schema-engine-wasm, the build byte-identical to
// prisma@7.10.0's), and talks to the database through a driver adapter instead
// of its own network stack. This module instantiates it by hand, the way
// @prisma/internals does, so no extra Prisma package is needed.
//
// The module is compiled and instantiated once per process: wasm-bindgen keeps
// module-level state, and instantiating the glue a second time breaks it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine };

/** No table or enum is managed outside Prisma here. */
export const noFilters = { externalTables: [], externalEnums: [] };

let engineClass: Promise<typeof glue.SchemaEngine> | undefined;

// Node has WebAssembly, but the project's libs (ES2023, no DOM) do not declare it.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  /** Given a compiled module, resolves to its instance. */
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

// The engine arms a setTimeout for every timeout it races (10 s around the
// advisory lock, for one) and never clears it, which held each process open for
// 10 s after its work was done. Its timers are tracked here and cleared once no
// engine is working; while one is, they stay armed and keep the process alive.
const engineTimers = new Set<NodeJS.Timeout>();
let enginesAtWork = 0;

function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

/** The glue module, with its setTimeout import(s) swapped for the tracked one. */
function importObject(): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  }
  return imports;
}

async function instantiate(): Promise<typeof glue.SchemaEngine> {
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
  const module = await wasm.compile(bytes);
  // The glue file is the import object the module was linked against (wasm-bindgen's "bundler" target).
  const instance = await wasm.instantiate(module, { './schema_engine_bg.js': importObject() });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return glue.SchemaEngine;
}

export interface EngineOptions {
  /** The Prisma schema files, as [path, content] pairs; needed by diffs against a datamodel, not by apply. */
  datamodels?: [string, string][];
  /** Receives the engine's own log lines (JSON); silent by default. */
  onEngineLog?: (line: string) => void;
}

/**
 * Runs `work` with a schema engine bound to `adapterFactory`, and frees the engine afterwards.
 * Closing what the factory opened stays with the caller.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: EngineOptions,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  engineClass ??= instantiate();
  const SchemaEngineClass = await engineClass;
  const onEngineLog = options.onEngineLog ?? (() => {});
  enginesAtWork++;
  try {
    const engine = await SchemaEngineClass.new(
      { datamodels: options.datamodels },
      (line: string) => onEngineLog(line),
      bindMigrationAwareSqlAdapterFactory(adapterFactory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    if (--enginesAtWork === 0) {
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  }
}
