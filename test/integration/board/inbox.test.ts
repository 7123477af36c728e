/**
 * The board of `npm start` serves the local inbox of notifications: the page at /inbox and the
 * JSON at /api/inbox, newest first; a board without an inbox (`npm run board`) answers 404 there.
 */
import type { Client } from '@temporalio/client';
import { startBoard, type RunningBoard } from '../../../src/board/server';
import type { ReleaseNotification } from '../../../src/domain/notify/notification';
import { createLogger } from '../../../src/logging/logger';
import { NotificationInbox } from '../../../src/notify/inbox';

const notification = (seq: number, type: string): ReleaseNotification => ({
  id: `2026-47/${seq}`,
  seq,
  type,
  releaseId: '2026-47',
  version: '2026.47.0',
  at: '2026-11-23T09:00:00.000Z',
  text: `${type} <b>not markup</b>`,
  details: {},
});

describe('the inbox on the release board', () => {
  const boards: RunningBoard[] = [];
  afterAll(async () => {
    for (const board of boards) await board.close();
  });

  async function board(inbox?: NotificationInbox): Promise<RunningBoard> {
    const running = await startBoard({
      // The inbox routes never read from Temporal.
      client: {} as Client,
      namespace: 'default',
      uiUrl: 'http://localhost:8233',
      refreshMs: 3000,
      port: 0,
      host: '127.0.0.1',
      logger: createLogger('silent'),
      inbox,
    });
    boards.push(running);
    return running;
  }

  it('serves the notifications newest first, as JSON and as a page', async () => {
    const inbox = new NotificationInbox();
    inbox.add(notification(1, 'planned'));
    inbox.add(notification(2, 'started'));
    const { url } = await board(inbox);

    const answer = (await (await fetch(`${url}/api/inbox`)).json()) as {
      notifications: Array<{ notification: ReleaseNotification }>;
    };
    expect(answer.notifications.map((e) => e.notification.id)).toEqual(['2026-47/2', '2026-47/1']);

    const page = await fetch(`${url}/inbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('/api/inbox');
    expect(html).not.toContain('not markup'); // texts are drawn by the page's script as textContent
  });

  it('answers 404 where no inbox is kept', async () => {
    const { url } = await board();
    const answer = await fetch(`${url}/api/inbox`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'no inbox here: the local inbox is served by npm start' });
  });
});
