/**
 * The planning activity's answer: compact enough for 20,000 accounts under Temporal's 512 KB
 * payload warning, the same accounts once read back, and the list answered before still read.
 */
import { compactRegistry, expandRegistry, type RegistryAnswer } from '../../../src/domain/release/registry-answer';
import type { RegistryAccount } from '../../../src/domain/release/waves';

const PAYLOAD_WARNING_BYTES = 512 * 1024;

const registry: RegistryAccount[] = [
  { accountId: 'platform', earlyAccess: false, internal: true },
  { accountId: 'acme', earlyAccess: true },
  { accountId: 'globex', earlyAccess: false, maintenanceWindow: { start: 1_000, end: 2_000 } },
  { accountId: 'initech', earlyAccess: true, maintenanceWindow: { start: 3_000, end: 4_000 } },
];

test('reads back the same accounts, internal and maintenance windows only where set', () => {
  const answer = compactRegistry(registry);
  expect(answer).toEqual({
    ids: ['platform', 'acme', 'globex', 'initech'],
    earlyAccess: [1, 3],
    internal: [0],
    windows: [
      [2, 1_000, 2_000],
      [3, 3_000, 4_000],
    ],
  });
  expect(expandRegistry(JSON.parse(JSON.stringify(answer)) as RegistryAnswer)).toStrictEqual(registry);
});

test('an answer recorded before (a list of accounts) reads as it did', () => {
  expect(expandRegistry(registry)).toBe(registry);
});

test('20,000 accounts answer in under 300 KB, well under the 512 KB warning; as a list they were past it', () => {
  const accounts = Array.from({ length: 20_000 }, (_, i) => ({
    accountId: `acct-${String(i).padStart(5, '0')}`,
    earlyAccess: i % 50 === 0,
  }));
  const compact = Buffer.byteLength(JSON.stringify(compactRegistry(accounts)));
  expect(Buffer.byteLength(JSON.stringify(accounts))).toBeGreaterThan(PAYLOAD_WARNING_BYTES);
  expect(compact).toBeLessThan(300 * 1024);
  expect(expandRegistry(compactRegistry(accounts))).toStrictEqual(accounts);
});

test('an answer of neither form says what is wrong', () => {
  const noIds = { earlyAccess: [], internal: [], windows: [] } as unknown as RegistryAnswer;
  expect(() => expandRegistry(noIds)).toThrow(/registry's answer is malformed: .*ids/s);
  const beyond = { ids: ['acme'], earlyAccess: [1], internal: [], windows: [] };
  expect(() => expandRegistry(beyond)).toThrow("the account registry's answer names position 1 of 1 accounts");
});
