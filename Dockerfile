# syntax=docker/dockerfile:1
# Pravo: the bot and its HTTP server in one container.
# Build: docker build -t pravo .   Run: docker run --env-file .env -p 3000:3000 pravo

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only (tsx runs the TypeScript sources). Scripts are skipped here:
# `prepare` builds the web app, which the build stage below does with the sources at hand.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The web app (/app/): bundled by esbuild (tsx's own dependency, so present without dev dependencies).
FROM deps AS webapp
COPY scripts ./scripts
COPY src/webapp ./src/webapp
RUN node scripts/build-app.mjs

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 PGLITE_DIR=/app/data/pglite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY flows ./flows
COPY locales ./locales
COPY drizzle ./drizzle
COPY config ./config
COPY --from=webapp /app/dist/app ./dist/app
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
