import type { Server } from 'node:http';
import pino from 'pino';
import { createGuardedServer, type RequestHandler } from '../../src/guarded-server';
import { closeServer, HttpError, listen } from '../../src/http';
import { rawRequest } from '../helpers';

/** A handler's mistakes are answered, logged and survived; they never reach the event loop. */
describe('guarded server', () => {
  const logged: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  let server: Server;
  let url: string;

  const routes: Record<string, RequestHandler> = {
    '/throws': () => {
      throw new TypeError('a bug in a handler');
    },
    '/rejects': async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new RangeError('a bug after an await');
    },
    '/refuses': () => {
      throw new HttpError(409, 'a conflict', undefined, { 'x-reason': 'test' });
    },
    '/half-answered': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      throw new Error('a bug after the headers went out');
    },
    '/ok': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    },
  };

  beforeAll(async () => {
    server = createGuardedServer('test', logger, (req, res) => routes[req.url ?? '']?.(req, res));
    url = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(() => closeServer(server));

  it('answers an exception, thrown at once or through the promise, with a logged 500', async () => {
    for (const path of ['/throws', '/rejects']) {
      const answer = await rawRequest(url, { target: path });
      expect(answer.status).toBe(500);
      expect(answer.body.error).toMatch(/internal error: (TypeError|RangeError)?.*a bug/);
    }
    const errors = logged.filter((entry) => entry.level === 50);
    expect(errors.map((entry) => entry.msg)).toEqual(['request handler failed', 'request handler failed']);
  });

  it('answers an HttpError with its status and headers', async () => {
    const answer = await rawRequest(url, { target: '/refuses' });
    expect(answer).toMatchObject({ status: 409, body: { error: 'a conflict' } });
    expect(answer.headers['x-reason']).toBe('test');
  });

  it('cuts a half-sent answer, and goes on serving', async () => {
    const cut = await rawRequest(url, { target: '/half-answered' });
    // Whatever got out before the cut, the answer is not complete (no final chunk, so no body).
    expect([0, 200]).toContain(cut.status);
    expect(cut.body).toBeUndefined();
    expect((await rawRequest(url, { target: '/ok' })).body).toEqual({ ok: true });
  });
});
