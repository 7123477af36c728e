import { HttpError } from './http';
import type { AccountInfo } from './model';

export type AccountRecord = AccountInfo;

/** The customer accounts the fleet serves: early-access opt-in, use cases, size, maintenance window. */
export class AccountRegistry {
  private readonly accounts = new Map<string, AccountRecord>();

  list(): AccountRecord[] {
    return [...this.accounts.values()];
  }

  get(accountId: string): AccountRecord {
    const account = this.accounts.get(accountId);
    if (!account) throw new HttpError(404, `account ${accountId} does not exist`);
    return account;
  }

  /** Creates or replaces; answers whether it was created. */
  put(account: AccountRecord): boolean {
    const created = !this.accounts.has(account.accountId);
    this.accounts.set(account.accountId, toRecord(account));
    return created;
  }

  remove(accountId: string): boolean {
    return this.accounts.delete(accountId);
  }

  /** Seconds until the account's maintenance window ends (what a maintenance page tells clients). */
  secondsUntilWindowEnds(accountId: string, now = Date.now()): number {
    const end = this.accounts.get(accountId)?.maintenanceWindow?.end;
    const seconds = end ? (Date.parse(end) - now) / 1000 : NaN;
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 86_400) : 120;
  }
}

/** Keeps exactly the AccountInfo fields, in a stable order. */
function toRecord(account: AccountRecord): AccountRecord {
  const record: AccountRecord = {
    accountId: account.accountId,
    earlyAccess: account.earlyAccess,
    internal: account.internal ?? false,
    useCases: [...account.useCases],
    instanceCount: account.instanceCount,
  };
  if (account.maintenanceWindow) record.maintenanceWindow = { ...account.maintenanceWindow };
  if (account.maintenanceMode) record.maintenanceMode = account.maintenanceMode;
  if (account.fallbackUrl) record.fallbackUrl = account.fallbackUrl;
  return record;
}
