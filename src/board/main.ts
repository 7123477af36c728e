/**
 * `npm run board`: the release board on its own (the compose service), against the cluster the
 * environment names (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...). BOARD_PORT (default 7390),
 * BOARD_HOST (default 127.0.0.1), TEMPORAL_UI_URL for the links (default http://localhost:8233).
 */
import { z } from 'zod';
import { connectFromEnv } from '../client';
import { createLogger } from '../logging/logger';
import { startBoard } from './server';

export const BoardEnvSchema = z.object({
  BOARD_PORT: z.coerce
    .number({ message: 'BOARD_PORT must be a port number such as 7390' })
    .int()
    .min(1, 'BOARD_PORT must be a port from 1 to 65535')
    .max(65_535, 'BOARD_PORT must be a port from 1 to 65535')
    .default(7390),
  BOARD_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_UI_URL: z
    .url({ message: 'TEMPORAL_UI_URL must be a URL such as http://localhost:8233' })
    .default('http://localhost:8233'),
});

async function main(): Promise<void> {
  const settings = BoardEnvSchema.parse(process.env);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', 'board');
  const temporal = await connectFromEnv();
  const board = await startBoard({
    client: temporal.client,
    namespace: temporal.namespace,
    uiUrl: settings.TEMPORAL_UI_URL,
    port: settings.BOARD_PORT,
    host: settings.BOARD_HOST,
    logger,
  });
  logger.info({ url: board.url }, `release board at ${board.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(
      signal,
      () =>
        void board
          .close()
          .then(() => temporal.close())
          .then(() => process.exit(0)),
    );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`board: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
