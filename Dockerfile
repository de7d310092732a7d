# One image for both Larder processes: the sales API (default command) and the shard runner
# (`command: ["node", "apps/inventory-actors/dist/main.js"]`). Built by deploy/compose.yaml and
# checked by deploy/test/Compose.test.ts. `npm run build` (tsc) output runs with plain node, so no tsx here.

# ---- build: every dependency, then tsc --build of the two apps (and the libs they reference) ----
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# Manifests first so `npm ci` stays cached while only sources change. Every workspace must be here,
# or npm ci refuses the lockfile (the test checks this list against package.json "workspaces").
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/inventory-actors/package.json apps/inventory-actors/
COPY libs/domain/package.json libs/domain/
COPY libs/messaging/package.json libs/messaging/
COPY libs/persistence/package.json libs/persistence/
COPY libs/testing/package.json libs/testing/
COPY tools/dev/package.json tools/dev/
COPY tools/workspace/package.json tools/workspace/
COPY deploy/package.json deploy/
# --ignore-scripts: the root package.json denies every install script through `allowScripts` (npm 11);
# the npm 10 in this image does not read that field, so say it on the command line. Nothing needs them:
# nx's postinstall is unused here and the native add-ons (cpu-features, ssh2) are optional.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY libs/ libs/
COPY apps/ apps/
RUN npx tsc --build apps/api/tsconfig.lib.json apps/inventory-actors/tsconfig.lib.json

# ---- runtime: production dependencies and the compiled output only ----
FROM node:20.20-bookworm-slim AS runtime
# NODE_OPTIONS: the V8 flags of libs/testing's LarderNodeFlags (a 64 MB young generation; docs/performance.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=64 \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/inventory-actors/package.json apps/inventory-actors/
COPY libs/domain/package.json libs/domain/
COPY libs/messaging/package.json libs/messaging/
COPY libs/persistence/package.json libs/persistence/
COPY libs/testing/package.json libs/testing/
COPY tools/dev/package.json tools/dev/
COPY tools/workspace/package.json tools/workspace/
COPY deploy/package.json deploy/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w @larder/api -w @larder/inventory-actors \
 && npm cache clean --force
# Workspace packages resolve through their package.json "exports" default condition: ./dist/index.js.
COPY --from=build /app/libs/domain/dist libs/domain/dist
COPY --from=build /app/libs/messaging/dist libs/messaging/dist
COPY --from=build /app/libs/persistence/dist libs/persistence/dist
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/inventory-actors/dist apps/inventory-actors/dist
# The AsyncAPI document the API's /docs/events viewer renders (apps/api/src/Docs/EventsReference.ts).
COPY docs/asyncapi.yaml docs/asyncapi.yaml

# The image's unprivileged user (uid 1000); the processes write nothing to disk (logs go to stdout).
USER node
EXPOSE 3000 9464
# Liveness of the API. The runner answers no /healthz on 3000: compose and Kubernetes give it its own check.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM reaches node directly (exec form, PID 1): both processes drain on it, then exit 0.
CMD ["node", "apps/api/dist/main.js"]
