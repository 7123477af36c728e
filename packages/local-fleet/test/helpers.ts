import net from 'node:net';
import type { InstanceInfo, LocalFleetClient } from '../src';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` answers something other than undefined; fails after `timeoutMs`, naming what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function waitForStates(
  fleet: LocalFleetClient,
  accountId: string,
  instanceIds: string[],
  accept: (instance: InstanceInfo) => boolean,
  what: string,
): Promise<InstanceInfo[]> {
  return waitFor(what, async () => {
    const instances = await fleet.instances(accountId, instanceIds);
    return instances.length === instanceIds.length && instances.every(accept) ? instances : undefined;
  });
}

export async function provisionReady(
  fleet: LocalFleetClient,
  accountId: string,
  version: string,
  count: number,
  requestId: string,
): Promise<string[]> {
  const ids = (await fleet.provision({ accountId, version, count, requestId })).map((instance) => instance.instanceId);
  await waitForStates(fleet, accountId, ids, (instance) => instance.ready, `${ids.join(', ')} to become ready`);
  return ids;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A raw HTTP call (for what the client does not expose: status codes, headers, bad bodies). */
export async function http(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface RawAnswer {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RawRequest {
  method?: string;
  /** The request target exactly as sent, e.g. "/features/%E0%A4%A?entity=x". */
  target: string | Buffer;
  /** Header lines sent as they are, e.g. "content-length: 5". */
  headers?: string[];
  body?: string | Buffer;
  timeoutMs?: number;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh socket, for what fetch refuses to send
 * (broken encodings, absolute-form targets, dot segments, absurd headers). The answer is read until
 * the server closes the connection.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers = [`host: ${hostname}:${port}`, 'connection: close', ...(request.headers ?? [])];
  if (body && !headers.some((h) => /^(content-length|transfer-encoding):/i.test(h))) {
    headers.push(`content-length: ${body.length}`);
  }
  const head = Buffer.concat([
    Buffer.from(`${request.method ?? 'GET'} `),
    Buffer.from(request.target),
    Buffer.from(` HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname);
    const timeoutMs = request.timeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${request.method ?? 'GET'} ${request.target}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRawAnswer(Buffer.concat(chunks)));
    };
    // Done when the whole answer is in, as a client reading content-length would be; or when the server closes.
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (answerComplete(Buffer.concat(chunks))) finish();
    });
    // A server may answer before it read everything we send (413): keep what it answered.
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.write(head);
    if (body) socket.write(body);
  });
}

function answerComplete(bytes: Buffer): boolean {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = bytes.subarray(0, split).toString('latin1').toLowerCase();
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return bytes.length - split - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/.test(head)) return bytes.subarray(split).includes('\r\n0\r\n\r\n');
  return /^http\/1\.1 (1\d\d|204|304)/.test(head);
}

function parseRawAnswer(bytes: Buffer): RawAnswer {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) return { status: 0, headers: {}, text: bytes.toString('utf8'), body: undefined };
  const [statusLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let payload = bytes.subarray(split + 4);
  if (headers['transfer-encoding'] === 'chunked') payload = dechunk(payload);
  else if (headers['content-length'] !== undefined) payload = payload.subarray(0, Number(headers['content-length']));
  const text = payload.toString('utf8');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, body };
}

function dechunk(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = payload.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(payload.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
