// Prisma 7's CLI insists on a native schema-engine binary that this project's
// machines cannot download (only the npm registry is reachable). Client
// generation does not need it, so we point the CLI at a stub that explains
// itself; migrations run through the WASM engine in @passerelle/db instead.
// Where the real binary can be fetched, set PRISMA_SCHEMA_ENGINE_BINARY.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./tools/schema-engine-stub.sh', import.meta.url));

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
