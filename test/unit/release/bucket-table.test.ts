import {
  buildTable,
  hasKey,
  lookup,
  mapRecords,
  records,
  replace,
  tableSize,
  type BucketTable,
} from '../../../src/domain/release/bucket-table';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `account-${String(i).padStart(5, '0')}`);
const table = (n: number, bucketSize?: number) =>
  buildTable(
    ids(n).map((id, i) => [id, { n: i }] as const),
    bucketSize,
  );
/** How many buckets of `next` are not the very same arrays as in `previous`. */
const copiedBuckets = <T>(previous: BucketTable<T>, next: BucketTable<T>) =>
  next.buckets.filter((bucket, b) => bucket !== previous.buckets[b]).length;

describe('bucket table', () => {
  test('holds each id once, in order, in buckets of the given size', () => {
    const t = table(10, 4);
    expect(t.buckets.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(tableSize(t)).toBe(10);
    expect(lookup(t, 'account-00006')).toEqual({ n: 6 });
    expect(lookup(t, 'nobody')).toBeUndefined();
    expect(hasKey(t, 'account-00009')).toBe(true);
    expect(hasKey(t, 'nobody')).toBe(false);
    expect([...records(t)].map(([id, value]) => `${id}=${value.n}`)).toEqual(ids(10).map((id, i) => `${id}=${i}`));
    expect(() => buildTable([['a', 1] as const, ['a', 2] as const])).toThrow(/once/);
    expect(() => buildTable([], 0)).toThrow(RangeError);
  });

  test('replacing a record copies its bucket and the bucket list only; the earlier version is unchanged', () => {
    const before = table(1000, 128);
    const after = replace(before, 'account-00300', { n: -1 });
    expect(lookup(after, 'account-00300')).toEqual({ n: -1 });
    expect(lookup(before, 'account-00300')).toEqual({ n: 300 });
    expect(after.keys).toBe(before.keys);
    expect(after.buckets).not.toBe(before.buckets);
    expect(copiedBuckets(before, after)).toBe(1);
    expect(() => replace(before, 'nobody', { n: 0 })).toThrow(/no record for nobody/);
  });

  test('mapping copies only the buckets where a record changed, and nothing when none did', () => {
    const before = table(1000, 128);
    expect(mapRecords(before, (value) => value)).toBe(before);
    const after = mapRecords(before, (value) => (value.n === 5 || value.n === 900 ? { n: -value.n } : value));
    expect(copiedBuckets(before, after)).toBe(2);
    expect(lookup(after, 'account-00900')).toEqual({ n: -900 });
    expect(lookup(before, 'account-00900')).toEqual({ n: 900 });
  });

  test('is plain JSON: a copy read back answers the same', () => {
    const t = replace(table(300, 128), 'account-00299', { n: 0 });
    const copy = JSON.parse(JSON.stringify(t)) as BucketTable<{ n: number }>;
    expect(copy).toEqual(t);
    expect(lookup(copy, 'account-00299')).toEqual({ n: 0 });
    expect(lookup(replace(copy, 'account-00001', { n: 7 }), 'account-00001')).toEqual({ n: 7 });
  });

  test('20,000 records changed one by one: every change copies one bucket of 128, never the table', () => {
    let current = table(20_000);
    expect(current.buckets).toHaveLength(157);
    const copied = new Set<number>();
    for (const id of ids(20_000)) {
      const next = replace(current, id, { n: 0 });
      copied.add(copiedBuckets(current, next));
      current = next;
    }
    expect([...copied]).toEqual([1]);
    expect([...records(current)].every(([, value]) => value.n === 0)).toBe(true);
  });
});
