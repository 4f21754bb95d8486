# syntax=docker/dockerfile:1
# Build: full workspace install, then build contracts → api → SPA.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY libs/contracts/package.json libs/contracts/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY libs/contracts libs/contracts
COPY apps/api apps/api
COPY apps/web apps/web
RUN npm run build

# Production dependencies only (the embedded PostgreSQL binaries included, for single-node runs).
FROM node:24-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY libs/contracts/package.json libs/contracts/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
RUN npm ci --omit=dev --no-audit --no-fund --workspace @catalyst/api --include-workspace-root

# OpenTofu, which every provisioning run executes (verified against the release's checksums).
FROM debian:bookworm-slim AS tofu
ARG TOFU_VERSION=1.10.6
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && curl -fsSLO "https://github.com/opentofu/opentofu/releases/download/v${TOFU_VERSION}/tofu_${TOFU_VERSION}_linux_amd64.zip" \
 && curl -fsSLO "https://github.com/opentofu/opentofu/releases/download/v${TOFU_VERSION}/tofu_${TOFU_VERSION}_SHA256SUMS" \
 && grep " tofu_${TOFU_VERSION}_linux_amd64.zip$" "tofu_${TOFU_VERSION}_SHA256SUMS" | sha256sum -c - \
 && unzip -q "tofu_${TOFU_VERSION}_linux_amd64.zip" tofu -d /usr/local/bin
# The module's provider, mirrored into the image so runs install it offline (CATALYST_TOFU_PLUGIN_MIRROR
# below); the versions and hashes come from infra/hetzner's versions.tf and .terraform.lock.hcl.
COPY infra/hetzner /tmp/module
RUN cd /tmp/module && tofu providers mirror -platform=linux_amd64 /opt/tofu-mirror

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8080 CATALYST_DATA_DIR=/data
RUN groupadd --system --gid 10001 catalyst \
 && useradd --system --uid 10001 --gid catalyst --home-dir /app --shell /usr/sbin/nologin catalyst \
 && mkdir -p /data && chown catalyst:catalyst /data
WORKDIR /app
COPY --from=tofu /usr/local/bin/tofu /usr/local/bin/tofu
COPY --from=tofu /opt/tofu-mirror /opt/tofu-mirror
ENV CATALYST_TOFU_PLUGIN_MIRROR=/opt/tofu-mirror
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/libs/contracts/package.json libs/contracts/
COPY --from=build /src/libs/contracts/dist libs/contracts/dist
COPY --from=build /src/apps/api/package.json apps/api/
COPY --from=build /src/apps/api/dist apps/api/dist
COPY --from=build /src/apps/api/drizzle apps/api/drizzle
COPY --from=build /src/apps/web/dist apps/web/dist
COPY infra infra
USER catalyst
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "apps/api/dist/main.js"]
