import fs from 'node:fs';
import path from 'node:path';
import { carry, readCarried } from '../../../src/domain/release/carried';
import { countAccounts } from '../../../src/domain/release/accounts';
import { finishDeployment, startDeployment } from '../../../src/domain/release/deployments';
import { statusView } from '../../../src/domain/release/view';
import { plannedRelease, T0 } from './support';

/** A status carried by the earlier code (accounts as one record, ISO times), and what it answered to `status`. */
const EARLIER = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'release', 'carried-before-events.json'), 'utf8'),
) as { carried: unknown; statusView: unknown };

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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
    const status = throughJson(carry(plannedRelease()));
    (status.status.accounts.table.keys as string[]).push('extra');
    expect(() => readCarried(status)).toThrow(/every account has one record/);
  });
});
