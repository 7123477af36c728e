/**
 * A persistent table of plain records keyed by id, for releases of tens of thousands of accounts.
 * Records sit in fixed-size buckets; replacing one record copies its bucket and the bucket list,
 * never the whole table, and every version of the table shares the key list. Plain JSON, so it
 * travels as it is in the continue-as-new argument.
 */

export const BUCKET_SIZE = 128;

export interface BucketTable<T> {
  /** Ids in the order the table was built; the record of keys[i] is buckets[⌊i / bucketSize⌋]. */
  readonly keys: readonly string[];
  readonly bucketSize: number;
  readonly buckets: ReadonlyArray<readonly T[]>;
}

/**
 * id → position, built once per key list and shared by every version of the table (they share
 * the list). Kept beside the table, not in it, so the table stays plain data.
 */
const positions = new WeakMap<readonly string[], Map<string, number>>();

function positionOf(table: BucketTable<unknown>, key: string): number | undefined {
  let index = positions.get(table.keys);
  if (!index) {
    index = new Map(table.keys.map((id, position) => [id, position]));
    positions.set(table.keys, index);
  }
  return index.get(key);
}

export function buildTable<T>(entries: ReadonlyArray<readonly [string, T]>, bucketSize = BUCKET_SIZE): BucketTable<T> {
  if (!Number.isInteger(bucketSize) || bucketSize < 1) throw new RangeError(`bucket size ${bucketSize}`);
  const keys = entries.map(([key]) => key);
  if (new Set(keys).size !== keys.length) throw new RangeError('a table holds each id once');
  const buckets: T[][] = [];
  for (let start = 0; start < entries.length; start += bucketSize)
    buckets.push(entries.slice(start, start + bucketSize).map(([, value]) => value));
  return { keys, bucketSize, buckets };
}

export function tableSize(table: BucketTable<unknown>): number {
  return table.keys.length;
}

export function hasKey(table: BucketTable<unknown>, key: string): boolean {
  return positionOf(table, key) !== undefined;
}

export function lookup<T>(table: BucketTable<T>, key: string): T | undefined {
  const position = positionOf(table, key);
  return position === undefined
    ? undefined
    : table.buckets[Math.floor(position / table.bucketSize)][position % table.bucketSize];
}

/** A new version of the table with `key`'s record replaced: one bucket and the bucket list are copied. */
export function replace<T>(table: BucketTable<T>, key: string, value: T): BucketTable<T> {
  const position = positionOf(table, key);
  if (position === undefined) throw new RangeError(`no record for ${key}`);
  const b = Math.floor(position / table.bucketSize);
  const bucket = [...table.buckets[b]];
  bucket[position % table.bucketSize] = value;
  const buckets = [...table.buckets];
  buckets[b] = bucket;
  return { keys: table.keys, bucketSize: table.bucketSize, buckets };
}

/**
 * A new version with every record passed through `change`; only the buckets in which `change`
 * returned a different record are copied. Returns the same table when nothing changed.
 */
export function mapRecords<T>(table: BucketTable<T>, change: (value: T, key: string) => T): BucketTable<T> {
  let buckets: Array<readonly T[]> | undefined;
  table.buckets.forEach((bucket, b) => {
    let copy: T[] | undefined;
    bucket.forEach((value, i) => {
      const next = change(value, table.keys[b * table.bucketSize + i]);
      if (next === value) return;
      copy ??= [...bucket];
      copy[i] = next;
    });
    if (!copy) return;
    buckets ??= [...table.buckets];
    buckets[b] = copy;
  });
  return buckets ? { keys: table.keys, bucketSize: table.bucketSize, buckets } : table;
}

/** Every [id, record], in the order the table was built. */
export function* records<T>(table: BucketTable<T>): Generator<[string, T]> {
  for (let b = 0; b < table.buckets.length; b++) {
    const bucket = table.buckets[b];
    for (let i = 0; i < bucket.length; i++) yield [table.keys[b * table.bucketSize + i], bucket[i]];
  }
}
