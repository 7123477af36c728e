import type { Logger } from '../logger';
import type { Accounts } from './accounts';
import type { InstanceLifecycle } from './lifecycle';
import type { RequestPools } from './pools';
import type { Provisioning } from './provisioning';
import { sleep } from './support';

const BOOT_POLL_MS = 50;

/**
 * Provisions the account at `version`, waits for readiness and makes those instances the pool.
 * When they do not all become ready in time the account keeps an empty pool (and says so).
 */
export async function bootAccount(
  parts: {
    accounts: Accounts;
    provisioning: Provisioning;
    lifecycle: InstanceLifecycle;
    pools: RequestPools;
    logger: Logger;
    timeoutMs: number;
  },
  accountId: string,
  version: string,
): Promise<void> {
  const { accounts, provisioning, lifecycle, pools } = parts;
  const account = accounts.get(accountId);
  const log = parts.logger.child({ accountId, version });
  const { instances } = provisioning.provision(accountId, {
    version,
    count: account.instanceCount,
    requestId: `boot/${version}/${Date.now()}`,
  });
  const ids = instances.map((instance) => instance.instanceId);
  const deadline = Date.now() + parts.timeoutMs;
  for (;;) {
    if (lifecycle.stopping) return;
    const states = ids.map((id) => lifecycle.find(id)?.state);
    if (states.every((state) => state === 'ready')) break;
    if (states.some((state) => state !== 'starting' && state !== 'ready') || Date.now() > deadline) {
      log.error({ states }, 'boot failed: instances did not all become ready; the account has an empty pool');
      await pools.decommission(accountId, ids);
      return;
    }
    await sleep(BOOT_POLL_MS);
  }
  await pools.setPool(accountId, ids);
  log.info({ pool: ids }, 'account booted');
}
