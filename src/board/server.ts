/**
 * The release board's HTTP server: the page, and the JSON it reads (`/api/releases`,
 * `/api/releases/<releaseId>`); under `npm start` also the local inbox of notifications (`/inbox`,
 * `/api/inbox`). Read-only: it answers GET only and never sends a message to a
 * workflow. A request it cannot use gets a 4xx and changes nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../logging/logger';
import { IdSchema } from '../domain/primitives';
import type { InboxEntry } from '../notify/inbox';
import { inboxPage } from './inbox-page';
import { boardPage, type PageSettings } from './page';
import { listReleases, readRelease } from './read';

export interface BoardSettings extends PageSettings {
  client: Client;
  port: number;
  host: string;
  logger: Logger;
  /** The local inbox of notifications (npm start); without it /inbox answers 404. */
  inbox?: { list(): InboxEntry[] };
}

export interface RunningBoard {
  url: string;
  close(): Promise<void>;
}

type Route =
  | { kind: 'page' }
  | { kind: 'list' }
  | { kind: 'release'; releaseId: string }
  | { kind: 'inbox-page' }
  | { kind: 'inbox' };

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function route(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'page' };
  if (pathname === '/api/releases') return { kind: 'list' };
  if (pathname === '/inbox') return { kind: 'inbox-page' };
  if (pathname === '/api/inbox') return { kind: 'inbox' };
  const match = /^\/(api\/)?releases\/([^/]+)$/.exec(pathname);
  if (!match) throw new BadRequest(`no such page: ${pathname.slice(0, 200)}`, 404);
  let releaseId: string;
  try {
    releaseId = decodeURIComponent(match[2]);
  } catch {
    throw new BadRequest('the release id in the path is not valid percent-encoding');
  }
  const parsed = IdSchema.safeParse(releaseId);
  if (!parsed.success) throw new BadRequest(`release id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return match[1] ? { kind: 'release', releaseId: parsed.data } : { kind: 'page' };
}

export function startBoard(settings: BoardSettings): Promise<RunningBoard> {
  const page = boardPage(settings);
  const send = (res: http.ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          throw new BadRequest('the board is read-only: GET only', 405);
        const target = route(new URL(req.url ?? '/', 'http://board').pathname);
        if (target.kind === 'page') return send(res, 200, 'text/html; charset=utf-8', page);
        if (target.kind === 'list') return json(res, 200, { releases: await listReleases(settings.client) });
        if (target.kind === 'inbox-page' || target.kind === 'inbox') {
          if (!settings.inbox) throw new BadRequest('no inbox here: the local inbox is served by npm start', 404);
          if (target.kind === 'inbox-page')
            return send(res, 200, 'text/html; charset=utf-8', inboxPage(settings.refreshMs));
          return json(res, 200, { notifications: settings.inbox.list() });
        }
        return json(res, 200, await readRelease(settings.client, target.releaseId));
      } catch (error) {
        if (error instanceof BadRequest) return json(res, error.status, { error: error.message });
        if (error instanceof WorkflowNotFoundError) return json(res, 404, { error: 'no release with that id' });
        settings.logger.warn({ err: error, url: req.url }, 'board: reading from Temporal failed');
        return json(res, 502, { error: `reading from Temporal failed: ${(error as Error).message}` });
      }
    })();
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
