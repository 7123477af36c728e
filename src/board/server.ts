/**
 * The release board: a small read-only web page that lists releases and shows one at a glance
 * (stage and day, a progress bar per wave, every account as a coloured cell, open issues, the
 * timeline, links into the Temporal UI). It reads only from Temporal and refreshes itself.
 *
 *   GET /                        the page (#<releaseId> selects a release)
 *   GET /api/releases            the releases, from a visibility query
 *   GET /api/releases/<id>       one release, from its `status` query
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Logger } from '../logging/logger';
import { boardPage } from './page';
import { listReleases, readRelease } from './source';

export interface BoardOptions {
  client: Client;
  namespace: string;
  /** Base URL of the Temporal UI, for the links. */
  uiUrl: string;
  port: number;
  host?: string;
  logger?: Logger;
}

export interface Board {
  url: string;
  close(): Promise<void>;
}

const RELEASE_ID = /^[A-Za-z0-9._-]{1,100}$/;

export async function startBoard(options: BoardOptions): Promise<Board> {
  const page = boardPage({ uiUrl: options.uiUrl, namespace: options.namespace });
  const send = (res: http.ServerResponse, status: number, type: string, body: string) =>
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      if (req.method !== 'GET') return send(res, 405, 'text/plain', 'the board is read-only\n');
      if (path === '/') return send(res, 200, 'text/html; charset=utf-8', page);
      if (path === '/api/releases')
        return send(res, 200, 'application/json', JSON.stringify(await listReleases(options.client)));
      const one = /^\/api\/releases\/([^/]+)$/.exec(path);
      if (one && RELEASE_ID.test(decodeURIComponent(one[1])))
        return send(
          res,
          200,
          'application/json',
          JSON.stringify(await readRelease(options.client, decodeURIComponent(one[1]))),
        );
      return send(res, 404, 'text/plain', 'not found\n');
    };
    answer().catch((error: unknown) => {
      options.logger?.warn({ err: error, path }, 'board request failed');
      if (!res.headersSent)
        send(res, 502, 'application/json', JSON.stringify({ error: String((error as Error).message ?? error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
