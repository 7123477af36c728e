/** The release board as part of `npm start` (BOARD_PORT=0 leaves it out). */
import { readBoardEnv } from '../board/config';
import { startBoard } from '../board/server';
import { connectFromEnv } from '../client';
import type { Logger } from '../logging/logger';
import type { NotificationInbox } from '../notify/inbox';

export interface StackBoard {
  url: string;
  stop(): Promise<void>;
}

export async function startStackBoard(
  logger: Logger,
  uiUrl: string,
  inbox?: NotificationInbox,
): Promise<StackBoard | undefined> {
  const env = readBoardEnv();
  if (env.BOARD_PORT === 0) return undefined;
  const { client, namespace, close } = await connectFromEnv();
  try {
    const board = await startBoard({
      client,
      namespace,
      uiUrl: env.TEMPORAL_UI_URL ?? uiUrl,
      refreshMs: env.BOARD_REFRESH_MS,
      port: env.BOARD_PORT,
      host: env.BOARD_HOST,
      logger,
      inbox,
    });
    return { url: board.url, stop: () => board.close().then(close) };
  } catch (error) {
    await close();
    throw new Error(
      `the release board cannot listen on ${env.BOARD_HOST}:${env.BOARD_PORT} (${(error as Error).message}); ` +
        'set BOARD_PORT to a free port, or 0 to leave the board out',
    );
  }
}
