/**
 * `npm run board`: the release board on its own, against the cluster the environment names
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ... as the worker). `npm start` runs it too.
 */
import { connectFromEnv } from '../client';
import { createLogger } from '../logging/logger';
import { readBoardEnv } from './config';
import { startBoard } from './server';

async function main(): Promise<void> {
  const env = readBoardEnv();
  const logger = createLogger(undefined, 'board');
  const { client, namespace, address, close } = await connectFromEnv();
  const board = await startBoard({
    client,
    namespace,
    uiUrl: env.TEMPORAL_UI_URL ?? 'http://localhost:8233',
    refreshMs: env.BOARD_REFRESH_MS,
    port: env.BOARD_PORT || 8234,
    host: env.BOARD_HOST,
    logger,
  });
  logger.info({ url: board.url, temporal: address, namespace }, `release board on ${board.url}`);
  const stop = () => {
    void board.close().then(close);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`npm run board: ${error.message}\n`);
  process.exit(1);
});
