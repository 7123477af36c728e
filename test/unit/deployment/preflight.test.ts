import type { AccountSnapshot } from '../../../src/domain/deployment/activities';
import { judgePreflight } from '../../../src/domain/deployment/preflight';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const account = (extra: Partial<AccountSnapshot> = {}): AccountSnapshot => ({
  accountId: 'acme',
  useCases: ['fraud-score'],
  instanceCount: 1,
  version: '1.0',
  pool: ['b1'],
  maintenance: false,
  ...extra,
});
const window = (start: string, end: string) => ({ maintenanceWindow: { start, end } });

describe('preflight', () => {
  it('a minor upgrade of an account with blue proceeds', () => {
    expect(judgePreflight(account(), { version: '2.0', kind: 'minor', mode: 'upgrade' }, NOW)).toEqual({
      verdict: 'proceed',
    });
  });

  it('an account already at the version is done (idempotent re-run), even without blue', () => {
    expect(
      judgePreflight(account({ version: '2.0', pool: [] }), { version: '2.0', kind: 'major', mode: 'upgrade' }, NOW),
    ).toEqual({
      verdict: 'done',
      reason: 'already at version 2.0; nothing to do',
    });
  });

  it('refuses a version the platform catalogue does not know, before touching anything', () => {
    expect(
      judgePreflight(account({ versionKnown: false }), { version: '9999.0.0', kind: 'minor', mode: 'upgrade' }, NOW),
    ).toEqual({
      verdict: 'refused',
      reason: "version 9999.0.0 is not in the platform's version catalogue; nothing was touched",
    });
    // A result recorded before the swap asked the catalogue counts as known (replay of running swaps).
    expect(judgePreflight(account(), { version: '2.0', kind: 'minor', mode: 'upgrade' }, NOW)).toEqual({
      verdict: 'proceed',
    });
    expect(
      judgePreflight(account({ versionKnown: true }), { version: '2.0', kind: 'minor', mode: 'upgrade' }, NOW),
    ).toEqual({
      verdict: 'proceed',
    });
  });

  it('refuses an account without running instances: no blue to fall back to', () => {
    expect(judgePreflight(account({ pool: [] }), { version: '2.0', kind: 'minor', mode: 'upgrade' }, NOW)).toEqual({
      verdict: 'refused',
      reason: 'account acme has no running instances: no blue to fall back to',
    });
  });

  it('a major upgrade needs an announced window that has not ended', () => {
    expect(judgePreflight(account(), { version: '2.0', kind: 'major', mode: 'upgrade' }, NOW)).toMatchObject({
      verdict: 'refused',
      reason: expect.stringMatching(/needs an announced maintenance window, and the account has none/),
    });
    const ended = account(window('2026-11-23T08:00:00Z', '2026-11-23T10:00:00Z'));
    expect(judgePreflight(ended, { version: '2.0', kind: 'major', mode: 'upgrade' }, NOW)).toEqual({
      verdict: 'refused',
      reason: 'the maintenance window of acme (2026-11-23T08:00:00Z to 2026-11-23T10:00:00Z) has already ended',
    });
    const later = account(window('2026-11-23T12:00:00Z', '2026-11-23T13:00:00Z'));
    expect(judgePreflight(later, { version: '2.0', kind: 'major', mode: 'upgrade' }, NOW)).toEqual({
      verdict: 'proceed',
    });
  });

  it('a revert of a major release needs no window: it runs no migration and no maintenance mode', () => {
    const revert = { version: '2.0', kind: 'major', mode: 'revert' } as const;
    expect(judgePreflight(account(), revert, NOW)).toEqual({ verdict: 'proceed' });
    const ended = account(window('2026-11-23T08:00:00Z', '2026-11-23T10:00:00Z'));
    expect(judgePreflight(ended, revert, NOW)).toEqual({ verdict: 'proceed' });
    expect(judgePreflight(account({ pool: [] }), revert, NOW)).toMatchObject({ verdict: 'refused' });
  });
});
