/**
 * A real fleet daemon for the orchestrator's tests: the local fleet package's `startLocalTestFleet`
 * (see packages/local-fleet/src/testing.ts for the options, the test catalogue and the checks
 * `stop` makes), plus the orchestrator's own `DaemonFleetProvider` for it, which is what the
 * activities use.
 *
 *   const fleet = await startTestFleet();                 // 2 accounts × 1 instance at 2026.46.0
 *   afterAll(() => fleet.stop({ expectNoStrays: true }));
 */
import {
  startLocalTestFleet,
  TEST_VERSIONS,
  type LocalTestFleet,
  type TestFleetOptions,
} from '@staged-release/local-fleet/testing';
import type { AccountSeedInput } from '@staged-release/local-fleet';
import { DaemonFleetProvider } from '../../src/platform/daemon-client';

export {
  TEST_ACCOUNTS,
  TEST_VERSIONS,
  testVersionCatalogue,
  type TestFleetOptions,
  type VersionSeedInput,
} from '@staged-release/local-fleet/testing';
export type { AccountSeedInput, FleetSeedInput } from '@staged-release/local-fleet';

export interface TestFleet extends LocalTestFleet {
  provider: DaemonFleetProvider;
}

export async function startTestFleet(options: TestFleetOptions = {}): Promise<TestFleet> {
  const fleet = await startLocalTestFleet(options);
  return { ...fleet, provider: new DaemonFleetProvider(fleet.url, { timeoutMs: 20_000, token: options.token }) };
}

/** A test fleet account with one instance of the current test version, in wave 1 when early access. */
export function oneInstanceAccount(accountId: string, earlyAccess: boolean): AccountSeedInput {
  return { accountId, earlyAccess, useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current };
}
