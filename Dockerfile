# The staged-release worker. Stateless: run as many copies as you like against one Temporal cluster.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY fleet ./fleet
USER node
CMD ["node", "--import", "tsx", "src/worker.ts"]
