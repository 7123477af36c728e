# The staged-release worker (and, with another command, the local fleet daemon). Stateless: run as many
# worker copies as you like against one Temporal cluster.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# The workspace package's manifest first, so npm links it and installs its dependencies with the rest.
COPY packages/local-fleet/package.json ./packages/local-fleet/
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY packages ./packages
USER node
CMD ["node", "--import", "tsx", "src/worker.ts"]
