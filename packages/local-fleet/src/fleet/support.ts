import { HttpError } from '../http';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Throws 409 unless the instance belongs to the account the call names. */
export function checkOwner(record: { instanceId: string; accountId: string }, accountId: string): void {
  if (record.accountId !== accountId) {
    throw new HttpError(409, `instance ${record.instanceId} belongs to account ${record.accountId}, not ${accountId}`);
  }
}
