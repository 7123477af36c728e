/**
 * What the run reads once the release has ended, from the sources that do not depend on the
 * orchestrator's own account of things: the fleet (who serves what, what still runs) and
 * Temporal's visibility (which swaps of the release ended promoted, per account).
 */
import type { Client } from '@temporalio/client';
import { LocalFleetClient } from '@staged-release/local-fleet';
import { AccountIdKey, DeploymentOutcomeKey, ReleaseIdKey } from '../../domain/search-attributes';
import { sleep } from './time';

export interface FleetFacts {
  accountIds: string[];
  /** Accounts whose whole request pool runs the target version. */
  accountsOnTarget: number;
  /** Accounts not on the target, with the version their pool runs. */
  offTarget: Record<string, string | null>;
  /** Instances still running (not stopped) outside every pool. */
  strayInstances: string[];
}

/**
 * Reads the fleet once nothing should move any more: strays are read again for up to `settleMs`
 * (an instance the last drain stopped may still be on its way out).
 */
export async function readFleetFacts(fleetUrl: string, targetVersion: string, settleMs: number): Promise<FleetFacts> {
  const fleet = new LocalFleetClient(fleetUrl, 10_000);
  const deadline = Date.now() + settleMs;
  let strays = await strayIds(fleet);
  while (strays.length > 0 && Date.now() < deadline) {
    await sleep(1_000);
    strays = await strayIds(fleet);
  }
  const accounts = await fleet.listAccounts();
  const offTarget: Record<string, string | null> = {};
  let accountsOnTarget = 0;
  for (const { accountId } of accounts) {
    const state = await fleet.accountState(accountId);
    const onTarget = state.pool.length > 0 && state.pool.every((instance) => instance.version === targetVersion);
    if (onTarget) accountsOnTarget++;
    else offTarget[accountId] = state.version;
  }
  return {
    accountIds: accounts.map((account) => account.accountId),
    accountsOnTarget,
    offTarget,
    strayInstances: strays,
  };
}

async function strayIds(fleet: LocalFleetClient): Promise<string[]> {
  return (await fleet.inventory()).filter((instance) => !instance.inPool).map((instance) => instance.instanceId);
}

export interface SwapFacts {
  /** Swaps of the release that ended promoted, per account (from visibility). */
  promotedPerAccount: Record<string, number>;
  /** Swaps of the release visibility still shows running, after waiting `settleMs` for it to catch up. */
  stillRunning: number;
}

/** Every swap of the release by its search attributes: ReleaseId, AccountId, DeploymentOutcome. */
export async function readSwapFacts(client: Client, releaseId: string, settleMs: number): Promise<SwapFacts> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const facts = await listSwaps(client, releaseId);
    if (facts.stillRunning === 0 || Date.now() >= deadline) return facts;
    await sleep(1_000);
  }
}

async function listSwaps(client: Client, releaseId: string): Promise<SwapFacts> {
  const promotedPerAccount: Record<string, number> = {};
  let stillRunning = 0;
  for await (const execution of client.workflow.list({ query: `${ReleaseIdKey.name} = "${releaseId}"` })) {
    // The release itself carries ReleaseId but no AccountId; every swap carries both.
    const accountId = execution.typedSearchAttributes.get(AccountIdKey);
    if (!accountId) continue;
    if (execution.status.name === 'RUNNING') stillRunning++;
    if (execution.typedSearchAttributes.get(DeploymentOutcomeKey) === 'promoted') {
      promotedPerAccount[accountId] = (promotedPerAccount[accountId] ?? 0) + 1;
    }
  }
  return { promotedPerAccount, stillRunning };
}
