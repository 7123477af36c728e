import type { FleetProvider, InstanceInfo } from '../../../src/fleet/provider';
import { sleep, waitFor } from '../../harness/wait';

export { sleep, waitFor };

export function waitForStates(
  fleet: FleetProvider,
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
  fleet: FleetProvider,
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

/** A raw HTTP call (for what the provider does not expose: status codes, headers, bad bodies). */
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
