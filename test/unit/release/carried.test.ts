import fs from 'node:fs';
import path from 'node:path';
import { CarriedRefused, carry, readCarried, resumeCarried } from '../../../src/domain/release/carried';
import { StagedReleaseInputSchema } from '../../../src/domain/release/input';
import { countAccounts, type AccountStatus } from '../../../src/domain/release/accounts';
import { finishDeployment, startDeployment } from '../../../src/domain/release/deployments';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import { statusView } from '../../../src/domain/release/view';
import { DAY, plannedRelease, T0 } from './support';

/** A status carried by the earlier code (accounts as one record, ISO times), and what it answered to `status`. */
const EARLIER = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'release', 'carried-before-events.json'), 'utf8'),
) as { carried: unknown; statusView: unknown };

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** The table shape (format 2) that runs recorded before the packed shape still carry. */
const carryTable = (status: ReleaseStatus) => carry(status, false) as { format: 2; status: ReleaseStatus };

describe('the continue-as-new argument', () => {
  test('carries the status as plain data and reads it back as it was', () => {
    let status = plannedRelease();
    status = startDeployment(status, { accountId: 'acme', version: '2026.47.0', revert: false }, T0).status;
    status = finishDeployment(
      status,
      {
        accountId: 'acme',
        version: '2026.47.0',
        revert: false,
        ending: 'result',
        report: { outcome: 'promoted', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
      },
      T0 + 1,
    ).status;
    const read = readCarried(throughJson(carry(status)));
    expect(read).toEqual(throughJson(status));
    expect(read.accounts.counts).toEqual(status.accounts.counts);
    expect(statusView(read)).toEqual(throughJson(statusView(status)));
  });

  test("a status carried by the earlier code is read into today's shape and answers `status` exactly as before", () => {
    const status = readCarried(EARLIER.carried);
    expect(status.schedule).toEqual({ startAt: Date.parse('2026-11-23T09:00:00Z'), stageLength: 86_400_000 });
    expect(status.lastSeq).toBe(0);
    expect(status.accounts.counts).toEqual(countAccounts(status.accounts.table));
    expect(throughJson(statusView(status))).toEqual(EARLIER.statusView);
  });

  test('anything else is refused with what is wrong', () => {
    expect(() => readCarried({ status: { releaseId: 'x' } })).toThrow(/originalVersion/);
    const status = throughJson(carryTable(plannedRelease()));
    (status.status.accounts.table.keys as string[]).push('extra');
    expect(() => readCarried(status)).toThrow(/every account has one record/);
  });

  test('a carried status is checked as strictly as the input: ids, versions, times and the schedule in range', () => {
    expect(() => readCarried({ status: {} })).toThrow(CarriedRefused);
    expect(() => readCarried(null)).toThrow(CarriedRefused);
    const mutated = (change: (carried: ReturnType<typeof carryTable>) => void) => {
      const carried = throughJson(carryTable(plannedRelease()));
      change(carried);
      return () => readCarried(carried);
    };
    expect(mutated((c) => (c.status.schedule.stageLength = 1e300))).toThrow(/status.schedule.stageLength/);
    expect(mutated((c) => (c.status.schedule.startAt = Number.MAX_VALUE))).toThrow(/status.schedule.startAt/);
    expect(mutated((c) => ((c.status.accounts.table.keys as string[])[0] = 'x'.repeat(2000)))).toThrow(
      /status.accounts.table.keys.0/,
    );
    expect(mutated((c) => (c.status.targetVersion = 'not a version'))).toThrow(/status.targetVersion/);
  });

  test('whatever the code writes reads back: long free text, and versions as the platform spells them', () => {
    const status = { ...plannedRelease(), holdReason: `20 open issue(s) and no patch: ${'#1 latency; '.repeat(400)}` };
    const carried = throughJson(carryTable(status));
    const first = carried.status.accounts.table.buckets[0] as AccountStatus[];
    first[0] = { ...first[0], version: 'Release_2026.46.0~build:7', previous: null };
    expect(readCarried(carried).holdReason).toBe(status.holdReason);
    expect(readCarried(carried).accounts.table.buckets[0][0].version).toBe('Release_2026.46.0~build:7');
  });

  test('a carried status must belong to the release it continues, on its schedule', () => {
    const params = StagedReleaseInputSchema.parse({
      releaseId: '2026-47',
      version: '2026.47.0',
      schedule: { startAt: new Date(T0).toISOString() },
    });
    const carried = throughJson(carry(plannedRelease()));
    expect(resumeCarried(carried, params, T0)).toEqual(readCarried(carried));
    expect(() => resumeCarried(carried, { ...params, releaseId: 'other' }, T0)).toThrow(
      /status.releaseId: the status is of release 2026-47, the input of other/,
    );
    expect(() =>
      resumeCarried(carried, { ...params, schedule: { ...params.schedule, stageLength: 2 * DAY } }, T0),
    ).toThrow(/stageLength/);
    const late = throughJson(carry({ ...plannedRelease(), lastWaveOneFinishedAt: T0 + DAY }));
    expect(() => resumeCarried(late, params, T0)).toThrow(/lastWaveOneFinishedAt: in the future/);
  });
});

describe('the packed continue-as-new argument (format 3)', () => {
  const ACCOUNTS = Array.from({ length: 20_000 }, (_, i) => ({
    accountId: `account-${String(i).padStart(5, '0')}`,
    wave: (i % 20 === 0 ? 1 : 2) as 1 | 2,
  }));

  /** Half the release deployed (one in a thousand rolled back), as when a run continues as new mid-wave. */
  function halfway(): ReleaseStatus {
    let status = plannedRelease(ACCOUNTS);
    for (const [i, { accountId }] of ACCOUNTS.slice(0, 10_000).entries()) {
      const swap = { accountId, version: '2026.47.0', revert: false };
      status = startDeployment(status, swap, T0 + i).status;
      const report =
        i % 1000 === 1
          ? { outcome: 'rolled-back' as const, fromVersion: '2026.46.0', toVersion: '2026.47.0', reason: 'p99 up' }
          : { outcome: 'promoted' as const, fromVersion: '2026.46.0', toVersion: '2026.47.0' };
      status = finishDeployment(status, { ...swap, ending: 'result', report }, T0 + i).status;
    }
    return status;
  }

  const status = halfway();

  test('20,000 accounts carry in under 1 MB (the table shape takes about 2 MB halfway) and read back as they were', () => {
    const packed = JSON.stringify(carry(status));
    expect(Buffer.byteLength(packed)).toBeLessThan(1_000_000);
    expect(Buffer.byteLength(JSON.stringify(carryTable(status)))).toBeGreaterThan(1_900_000);
    const read = readCarried(JSON.parse(packed));
    expect(read).toEqual(throughJson(status));
    expect(read.accounts.counts).toEqual(status.accounts.counts);
    expect(read.accounts.counts.wave2).toMatchObject({ promoted: 9_490, 'rolled-back': 10, pending: 9_500 });
  });

  test('a table-shape argument (a run continued as new by the code before) still reads, to the same status', () => {
    expect(readCarried(throughJson(carryTable(status)))).toEqual(readCarried(throughJson(carry(status))));
  });

  test('a packed argument that does not hold together is refused with what is wrong', () => {
    const carried = throughJson(carry(plannedRelease())) as unknown as {
      status: { accounts: { ids: string[]; of: number[] } };
    };
    const broken = (change: (accounts: { ids: string[]; of: number[] }) => void) => {
      const copy = throughJson(carried);
      change(copy.status.accounts);
      return () => readCarried(copy);
    };
    expect(broken((a) => (a.of[0] = 7))).toThrow(/every account has the number of one of the records/);
    expect(broken((a) => a.ids.push('extra'))).toThrow(/every account has the number of one of the records/);
    expect(broken((a) => (a.ids[1] = a.ids[0]))).toThrow(/each account id once/);
    expect(broken((a) => (a.ids[0] = 'has space'))).toThrow(/status.accounts.ids.0/);
    expect(() => readCarried(carried)).not.toThrow();
  });
});
