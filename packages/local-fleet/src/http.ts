import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import type { z } from 'zod';
import { describeIssues } from './primitives';
import { parseAtOneInstant } from './reference-time';

/** An error with an HTTP status; the control plane answers it as `{ error, issues? }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
    /** Extra response headers, such as `allow` on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  lingerOnUnreadBody(res);
  if (error instanceof HttpError) {
    sendJson(
      res,
      error.status,
      error.issues ? { error: error.message, issues: error.issues } : { error: error.message },
      error.headers,
    );
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { error: `internal error: ${message}` });
}

/** How long a connection may go on sending a body nobody will read, after it was answered. */
const LINGER_MS = 5_000;

/**
 * An answer given before the request body was read (a 413, a 405, ...). Closing the socket right
 * after it with bytes still unread makes the kernel reset the connection, and the client loses the
 * answer it was sent. So Node is kept from closing at once (even when the client asked for
 * `connection: close`), the rest of the body is read and dropped for a few seconds at most, as
 * nginx's lingering close does, and then the connection is closed: cleanly once the body has ended,
 * cut when it has not.
 */
function lingerOnUnreadBody(res: ServerResponse): void {
  const req = res.req;
  const socket = req.socket;
  if (req.complete || !socket) return;
  const clientAskedToClose = !res.shouldKeepAlive;
  res.shouldKeepAlive = true;
  res.once('finish', () => {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    const bodyEnded = () => {
      clearTimeout(timer);
      if (clientAskedToClose) socket.end();
    };
    socket.once('close', () => clearTimeout(timer));
    if (req.complete) bodyEnded();
    else {
      req.once('end', bodyEnded);
      req.resume();
    }
  });
}

export interface BodyLimits {
  /** Largest body accepted (413 above it). */
  maxBytes: number;
  /** Deepest nesting of arrays and objects accepted (400 below it). Default 32. */
  maxDepth?: number;
}

export const API_BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, maxDepth: 32 };

/**
 * Reads a JSON body; an empty body reads as `{}`. Refused before anything acts on it: a content
 * type that is not JSON (415), a body over the limit, declared or sent (413), text that is not
 * JSON, or JSON nested deeper than the limit (400). The types simple clients send by default for a
 * JSON string are read as JSON too: `curl -d '{...}'` sends a form type, `fetch` with a string body
 * text/plain.
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits = API_BODY_LIMITS): Promise<unknown> {
  const { maxBytes, maxDepth = 32 } = limits;
  if (hasBody(req)) checkJsonContentType(req.headers['content-type']);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  const text = (await readBody(req, maxBytes)).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
  if (nestedDeeperThan(value, maxDepth)) {
    throw new HttpError(400, `request body nests arrays and objects deeper than ${maxDepth} levels`);
  }
  return value;
}

/**
 * Collects the body up to `maxBytes`. Past the limit it stops reading and rejects with a 413,
 * leaving the connection open, so the answer reaches the client (see {@link lingerOnUnreadBody}).
 * (Breaking out of `for await` would destroy the socket before the answer is written.)
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (settle: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        req.pause();
        stop(() => reject(new HttpError(413, `request body is larger than ${maxBytes} bytes`)));
      }
    };
    const onEnd = () => stop(() => resolve(Buffer.concat(chunks)));
    const onError = (error: Error) => stop(() => reject(error));
    const onClose = () => stop(() => reject(new HttpError(400, 'the request body was cut short')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * For servers that answer GET and HEAD only (engines and routers serving features): another method
 * is a 405, and a body is refused before anything reads it (413 when it says it is over `maxBytes`).
 */
export function checkBodilessRead(req: IncomingMessage, maxBytes = API_BODY_LIMITS.maxBytes): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, `${req.method} is not supported; use GET`, undefined, { allow: 'GET, HEAD' });
  }
  if (!hasBody(req)) return;
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  }
  throw new HttpError(400, `a ${req.method} request carries no body`);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const JSON_TYPES =
  /^(application\/json|application\/[a-z0-9.+-]+\+json|application\/x-www-form-urlencoded|text\/plain)$/;
const CHARSET = /^charset="?utf-8"?$/i;

function checkJsonContentType(header: string | undefined): void {
  if (header === undefined) return;
  const [type, ...params] = header.split(';').map((part) => part.trim());
  const ok = JSON_TYPES.test(type.toLowerCase()) && params.every((param) => param === '' || CHARSET.test(param));
  if (!ok) {
    throw new HttpError(
      415,
      `a body of type ${JSON.stringify(header.slice(0, 100))} is not accepted; send JSON in UTF-8 with content-type: application/json`,
    );
  }
}

/** Walks the value without recursion, so no nesting can overflow the stack. */
function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Parses with zod or throws a 400 that lists what to fix, path by path (cut short: it may quote client text). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = parseAtOneInstant(() => schema.safeParse(value));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: cut(issue.path.map(String).join('.'), 200),
    message: cut(issue.message, 300),
  }));
  throw new HttpError(400, cut(`invalid ${what}: ${describeIssues(parsed.error, '(root)')}`, 1000), issues);
}

const MAX_ISSUES = 20;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Listens on 127.0.0.1 and resolves with the bound port. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Stops listening and drops every connection, idle or not. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
