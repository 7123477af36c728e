/**
 * The accounts as continue-as-new carries them (carried format 3): the ids in plan order, each
 * distinct record once, and per account the number of its record. Most accounts of a release end
 * with the same record (same wave, versions and outcome), so 20,000 accounts carry in a few
 * hundred kilobytes, mostly their ids, instead of one full record each.
 */
import type { AccountStatus } from './accounts';
import { buildTable, records, type BucketTable } from './bucket-table';

export interface PackedAccounts {
  ids: string[];
  records: AccountStatus[];
  /** of[i]: the index in `records` of the record of ids[i]. */
  of: number[];
}

/** Field order of the key that tells records apart (records built by different code may order fields differently). */
const FIELDS = [
  'wave',
  'state',
  'version',
  'previous',
  'attempted',
  'outcome',
  'reason',
  'reconciled',
  'skipped',
] as const;

export function packAccounts(table: BucketTable<AccountStatus>): PackedAccounts {
  const numbers = new Map<string, number>();
  const packed: PackedAccounts = { ids: [], records: [], of: [] };
  for (const [accountId, account] of records(table)) {
    const key = JSON.stringify(FIELDS.map((field) => account[field] ?? '\u0000'));
    let number = numbers.get(key);
    if (number === undefined) {
      number = packed.records.length;
      numbers.set(key, number);
      packed.records.push(account);
    }
    packed.ids.push(accountId);
    packed.of.push(number);
  }
  return packed;
}

/** The table packed by packAccounts; the caller has checked that every number names a record. */
export function unpackAccounts(packed: PackedAccounts): BucketTable<AccountStatus> {
  return buildTable(packed.ids.map((accountId, i) => [accountId, packed.records[packed.of[i]]] as const));
}
