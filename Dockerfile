# syntax=docker/dockerfile:1
# One image for both processes: compose runs it as `api` and as `worker`.

# --- build: full deps (TypeScript) to compile each workspace into its dist/ ---
FROM node:20-slim AS build
WORKDIR /app
# Manifests first (the root's and each workspace's) so the npm ci layer is cached until dependencies change.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY libs/cli/package.json libs/cli/
COPY libs/core/package.json libs/core/
COPY libs/nats/package.json libs/nats/
COPY libs/nestjs/package.json libs/nestjs/
COPY libs/rabbitmq/package.json libs/rabbitmq/
COPY libs/samples/package.json libs/samples/
COPY libs/server/package.json libs/server/
COPY libs/testing/package.json libs/testing/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production deps and the compiled workspaces (with the Lua scripts and the explorer) ---
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app ./
# Don't run as root; the app only needs to read /app.
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
