/**
 * The `status` answer with every account's record beside it (the `accounts` query, page after
 * page), for tests that check both. Two queries: the records may be a moment newer than the status.
 */
import { releases, type ReleaseHandle } from '../../src/client';
import type { ReleaseOverview } from '../../src/domain/release/overview';
import type { AccountStatusView } from '../../src/domain/release/view';

export type StatusWithAccounts = ReleaseOverview & { accounts: Record<string, AccountStatusView> };

export async function statusWithAccounts(handle: ReleaseHandle): Promise<StatusWithAccounts> {
  const status = await releases.status(handle);
  return { ...status, accounts: await releases.accountRecords(handle) };
}
