import type http from 'node:http';
import type { FeatureAnswer, FeatureRequest, ProbeTarget } from '../model';
import { fetchFeature, mapWithLimit } from '../probe';
import type { Accounts } from './accounts';
import type { InstanceLifecycle } from './lifecycle';
import { checkOwner } from './support';

const PROBE_CONCURRENCY = 8;

/** Sends each request once, to the account's router or round-robin over the given instances. */
export function probeAccount(
  parts: { accounts: Accounts; lifecycle: InstanceLifecycle; agent: http.Agent },
  accountId: string,
  target: ProbeTarget,
  requests: FeatureRequest[],
  timeoutMs: number,
): Promise<FeatureAnswer[]> {
  const { accounts, lifecycle, agent } = parts;
  accounts.get(accountId);
  const runtime = accounts.runtime(accountId);
  if ('router' in target) {
    return mapWithLimit(requests, PROBE_CONCURRENCY, (request) =>
      fetchFeature(agent, runtime.routerUrl, request, timeoutMs),
    );
  }
  const records = target.instanceIds.map((id) => lifecycle.get(id));
  for (const record of records) checkOwner(record, accountId);
  return mapWithLimit(requests, PROBE_CONCURRENCY, async (request, index) => {
    const record = records[index % records.length];
    const url = record.handle.url;
    if (!url || record.state === 'stopped' || record.state === 'failed') {
      return {
        request,
        ok: false,
        status: 0,
        latencyMs: 0,
        error: `instance ${record.instanceId} is ${record.state}`,
        instanceId: record.instanceId,
        version: record.version,
      };
    }
    return fetchFeature(agent, url, request, timeoutMs);
  });
}
