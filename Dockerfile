# syntax=docker/dockerfile:1
# One image for both processes: compose runs it as `api` and as `worker`.

# --- build: full deps (Nest CLI, TypeScript) to compile into dist/ ---
FROM node:20-slim AS build
WORKDIR /app
# Manifests first so the npm ci layer is cached until dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production deps + compiled output only ---
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Don't run as root; the app only needs to read /app.
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
