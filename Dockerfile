# The Tessera service. Built by docker-compose.yml; runs on Node.js 20 like the rest of the repo.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# From the lockfile; not `npm ci`, which refuses locks made where other platforms' optional
# binaries were not available (see .ci/run).
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nest build sso-server && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TESSERA_HOST=0.0.0.0 PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:8080/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/apps/sso-server/apps/sso-server/src/main.js"]
