# syntax=docker/dockerfile:1
# Pravo: the bot and its HTTP server in one container.
# Build: docker build -t pravo .   Run: docker run --env-file .env -p 3000:3000 pravo

FROM node:20.20-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
# All dependencies (esbuild, TypeScript) to bundle the browser pages (console, chat simulator,
# web app) and compile the server to JavaScript; nothing of this stage ships but dist/.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# flows/, config/ and locales/ only to warm what the server starts from: the YAML cache
# (dist/yaml-cache) and the content the bundle has checked (dist/server/bundle/checked-content).
COPY flows ./flows
COPY config ./config
COPY locales ./locales
RUN node scripts/build-web.mjs && node scripts/build-app.mjs && node scripts/build-server.mjs

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only (the server runs as compiled JavaScript; pages and server come built from the web stage).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 PGLITE_DIR=/app/data/pglite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY --from=web /app/dist/web ./dist/web
COPY flows ./flows
COPY locales ./locales
COPY drizzle ./drizzle
COPY config ./config
COPY --from=web /app/dist/app ./dist/app
COPY --from=web /app/dist/server ./dist/server
COPY --from=web /app/dist/yaml-cache ./dist/yaml-cache
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/server/bundle/start.cjs"]
