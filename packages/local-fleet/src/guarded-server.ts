import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError, sendError } from './http';
import type { Logger } from './logger';

/** Longest request target (path and query) any server of the fleet reads; longer ones get 414. */
export const MAX_URL_BYTES = 8 * 1024;
/** Largest request line plus headers; larger ones get 431 from the HTTP parser. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Headers beyond this count are ignored (Node drops them), so no request can make us store thousands. */
const MAX_HEADER_COUNT = 100;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * An HTTP server that no request can take down: targets and headers have limits, a request the
 * HTTP parser rejects gets a JSON 4xx, and whatever the handler throws (at once or later, through
 * its promise) is answered — an {@link HttpError} with its status, anything else with a 500 that
 * is logged — and never reaches the event loop.
 */
export function createGuardedServer(name: string, logger: Logger, handler: RequestHandler): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const fail = (error: unknown) => answerFailure(name, logger, req, res, error);
    try {
      if ((req.url ?? '').length > MAX_URL_BYTES) {
        throw new HttpError(414, `the request target is longer than ${MAX_URL_BYTES} bytes`);
      }
      const running = handler(req, res);
      if (running) running.catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  server.maxHeadersCount = MAX_HEADER_COUNT;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerParseError(error, socket));
  return server;
}

function answerFailure(name: string, logger: Logger, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const target = (req.url ?? '').slice(0, 200);
  if (error instanceof HttpError && error.status < 500) {
    logger.debug({ server: name, method: req.method, url: target, status: error.status }, error.message);
  } else {
    logger.error({ server: name, method: req.method, url: target, err: error }, 'request handler failed');
  }
  try {
    sendError(res, error);
  } catch {
    res.destroy();
  }
}

const PARSE_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, `the request line and headers are larger than ${MAX_HEADER_BYTES} bytes`],
  HPE_INVALID_CONTENT_LENGTH: [400, 'content-length is not a number of bytes'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'content-length and transfer-encoding cannot both be sent'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'transfer-encoding is not understood; send chunked or nothing'],
  HPE_INVALID_METHOD: [400, 'the request method is not an HTTP method'],
  HPE_INVALID_URL: [400, 'the request target is not a valid URL path'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request took too long to arrive'],
};

/** A request the HTTP parser refused has no response object: the answer is written to the socket. */
function answerParseError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (error.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const [status, message] = PARSE_ERRORS[error.code ?? ''] ?? [
    400,
    `malformed HTTP request (${error.code ?? error.message})`,
  ];
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
