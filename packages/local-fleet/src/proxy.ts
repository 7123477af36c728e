import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { HttpError, sendError, sendJson } from './http';

/** What routers share when they pass requests on: to instances, or to a maintenance forward target. */

export const UPSTREAM_TIMEOUT_MS = 60_000;
/** Largest request body a router passes on (only maintenance forwarding passes bodies at all). */
export const MAX_PROXIED_BODY_BYTES = 1024 * 1024;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Maintenance traffic forwarded by this daemon carries its mark; a router that sees its own mark
 * answers 508 instead of forwarding again, so a forward target that leads back here (however its
 * name resolves) costs one hop, not a loop.
 */
const LOOP_HEADER = 'x-fleet-forwarded-by';
const LOOP_MARK = randomUUID();

export function isOwnForward(req: IncomingMessage): boolean {
  return req.headers[LOOP_HEADER] === LOOP_MARK;
}

export function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const result: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) result[name] = value;
  }
  return result;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Passes a request on to the account's maintenance `forwardTo` URL, body streamed and capped. */
export function forwardToMaintenanceTarget(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  forwardTo: string,
): void {
  const base = new URL(forwardTo);
  const prefix = base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '');
  const client = base.protocol === 'https:' ? https : http;
  let upstream: http.ClientRequest;
  try {
    upstream = client.request({
      host: base.hostname,
      port: base.port || undefined,
      path: prefix + path,
      method: req.method,
      headers: { ...forwardableHeaders(req.headers), host: base.host, [LOOP_HEADER]: LOOP_MARK },
      timeout: UPSTREAM_TIMEOUT_MS,
    });
  } catch (error) {
    // Node refuses to send some headers it accepted from the client.
    sendError(res, new HttpError(400, `the request cannot be forwarded: ${errorMessage(error)}`));
    return;
  }
  let tooLarge = false;
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, forwardableHeaders(answer.headers));
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (tooLarge) {
      sendError(res, new HttpError(413, `request body is larger than ${MAX_PROXIED_BODY_BYTES} bytes`));
      return;
    }
    sendJson(res, 502, {
      error: `maintenance forward target ${forwardTo} could not be reached: ${error.code ?? error.message}`,
    });
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  // A body is streamed, never buffered, and cut off once it passes the limit.
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_PROXIED_BODY_BYTES || tooLarge) return;
    tooLarge = true;
    req.unpipe(upstream);
    upstream.destroy(new Error('request body too large'));
  });
  req.pipe(upstream);
}
