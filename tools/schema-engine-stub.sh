#!/bin/sh
echo "schema-engine stub: Passerelle runs migrations through the WASM engine (pnpm db:migrate)," >&2
echo "not through the Prisma CLI. See prisma.config.ts." >&2
exit 1
