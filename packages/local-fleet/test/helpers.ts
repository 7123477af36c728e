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
