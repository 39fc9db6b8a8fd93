# One image recipe, one target per service: `docker build --target auth .`
# Runs TypeScript through tsx, as in development; no build step to drift.
FROM node:24-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc prisma.config.ts tsconfig.base.json ./
COPY prisma ./prisma
COPY tools ./tools
COPY apps ./apps
COPY packages ./packages
RUN pnpm install --frozen-lockfile && rm -rf /root/.cache /root/.npm
USER node
ENV NODE_ENV=production

FROM base AS auth
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.AUTH_PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "apps/auth/src/main.ts"]

FROM base AS api
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s --retries=5 --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.API_PORT||4001)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]

FROM base AS portal
EXPOSE 4002
HEALTHCHECK --interval=10s --timeout=3s --retries=5 --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORTAL_PORT||4002)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "apps/portal/src/main.ts"]
