# syntax=docker/dockerfile:1
# Loyaal in a container: build once (dependencies + the admin app), then run with plain Node 24 LTS
# as a non-root user. Build: `docker build -t loyaal .`  Run: `docker run -p 3000:3000 -v loyaal:/data loyaal`
# (SQLite in /data), or see compose.yaml for PostgreSQL with separate workers.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# NODE_OPTIONS: Node's young generation capped at 2 × 16 MB (Node 24 grows it to 2 × 64 MB on a
# large machine, and start-up alone fills it: 60–80 MB of a server's memory for garbage; docs/operations.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    DATABASE_URL=sqlite:/data/loyaal.db
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only: no compiler, no Vite, no second Node (the pinned `node` package is a
# dev dependency); better-sqlite3 and argon2 ship prebuilt binaries.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/src ./src
COPY --from=build /app/bin ./bin
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs the TypeScript sources itself (type stripping); `worker` instead of `serve` runs a worker.
CMD ["node", "src/cli/main.ts", "serve"]
