/**
 * The `status` answer stays under 64 KB and the `accounts` pages under their bound at 20,000
 * accounts, through the real transitions; and with every free text at the longest an input
 * allows, the status answer still fits.
 */
import {
  accountsPage,
  AccountsRequestRefused,
  PAGE_MAX_BYTES,
  parseAccountsRequest,
  type AccountEntry,
} from '../../../src/domain/release/account-pages';
import { finishDeployment, judgeWave, startDeployment } from '../../../src/domain/release/deployments';
import { OVERVIEW_MAX_BYTES, statusOverview } from '../../../src/domain/release/overview';
import { rejectSignal } from '../../../src/domain/release/messages';
import type { ReleaseStatus, Transition } from '../../../src/domain/release/status';
import { swapStallReported } from '../../../src/domain/release/stalls';
import { RESULT_ACCOUNTS_LIMIT, resultView, statusView } from '../../../src/domain/release/view';
import { plannedRelease, T0 } from './support';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

const ACCOUNTS = Array.from({ length: 20_000 }, (_, i) => ({
  accountId: `account-${String(i).padStart(5, '0')}`,
  wave: (i % 20 === 0 ? 1 : 2) as 1 | 2,
}));

/** Every account deployed, one in a thousand rolled back with a long reason; the last 100 still deploying. */
function bigRelease(): ReleaseStatus {
  let status = plannedRelease(ACCOUNTS);
  const apply = (transition: Transition) => (status = transition.status);
  for (const [i, { accountId, wave }] of ACCOUNTS.entries()) {
    const swap = { accountId, version: '2026.47.0', revert: false };
    apply(startDeployment(status, swap, T0 + i));
    if (i >= ACCOUNTS.length - 100) continue;
    const rolledBack = i % 1000 === 1;
    const report = rolledBack
      ? { outcome: 'rolled-back' as const, fromVersion: '2026.46.0', toVersion: '2026.47.0', reason: 'é'.repeat(900) }
      : { outcome: 'promoted' as const, fromVersion: '2026.46.0', toVersion: '2026.47.0' };
    apply(finishDeployment(status, { ...swap, ending: 'result', report }, T0 + i));
    apply(judgeWave(status, { accountId, wave, budget: 1000 }, T0 + i));
  }
  return status;
}

const big = bigRelease();

describe('the `status` answer', () => {
  test('20,000 accounts: under 64 KB, with the counts, the open issues and the newest timeline', () => {
    const overview = statusOverview(big);
    expect(bytes(overview)).toBeLessThan(OVERVIEW_MAX_BYTES);
    expect(bytes(statusView(big))).toBeGreaterThan(2_000_000); // what it answered before: every account
    expect(overview).not.toHaveProperty('accounts');
    expect(overview.accountsTotal).toBe(20_000);
    expect(overview.waves.wave2).toMatchObject({ total: 19_000, deploying: 95, 'rolled-back': 20 });
    expect(overview.waves.wave1).toMatchObject({ total: 1_000, deploying: 5, promoted: 995 });
    expect(overview.timeline.length).toBeGreaterThan(5);
    expect(overview.timeline.at(-1)).toEqual(statusView(big).timeline.at(-1));
    expect(overview.timelineDropped + overview.timeline.length).toBe(
      big.timeline.dropped + big.timeline.entries.length,
    );
  });

  test('every list and text at the longest the inputs allow: still under 64 KB, and it says what it left out', () => {
    const id = (i: number) => `${'a'.repeat(250)}${String(i).padStart(5, '0')}`;
    const long = (c: string) => c.repeat(500);
    let status: ReleaseStatus = {
      ...big,
      notes: Array.from({ length: 100 }, () => long('n')),
      pauseReason: long('p'),
      holdReason: `500 open issue(s) and no patch: ${long('h').repeat(40)}`,
      pendingPatch: { version: '2026.47.1', reason: long('r'), at: T0 },
      abort: { reason: long('a'), rollback: true, at: T0 },
      halt: { wave: 2, reason: long('w').repeat(3) },
      issues: Array.from({ length: 500 }, (_, n) => ({
        id: n + 1,
        source: 'automated' as const,
        summary: long('s'),
        accounts: Array.from({ length: 1000 }, (_, i) => id(i)),
        openedAt: T0 + n,
        ...(n % 2 ? { closedAt: T0 + n, closedBy: long('c') } : {}),
      })),
      ownStall: { step: 'reading accounts', since: T0, cause: long('o'), detail: long('d'), checkedAt: T0 + 1 },
      freeze: {
        calendar: { freezes: [] },
        readAt: T0,
        // Freeze rule ids and names are at most 100 characters (src/domain/freeze/calendar.ts).
        overrides: Array.from({ length: 1000 }, (_, i) => ({
          freezeId: `${'f'.repeat(100)}@2026-12-23T00:00:00.000Z`,
          name: 'n'.repeat(100),
          reason: long('o'),
          at: T0 + i,
        })),
        waitingOn: { id: `${'f'.repeat(100)}@2026-12-23T00:00:00.000Z`, name: 'n'.repeat(100), start: T0, end: T0 + 1 },
      },
      validation: {
        state: 'failed',
        version: 'v'.repeat(64),
        skipReason: long('k'),
        regressions: Array.from({ length: 20 }, (_, i) => {
          const measure = {
            version: 'v'.repeat(64),
            requests: 10_000,
            errors: 10_000,
            errorRate: 1,
            p50Ms: 1,
            p99Ms: 1,
          };
          return {
            accountId: id(i),
            version: 'v'.repeat(64),
            verdict: 'failed' as const,
            summary: long('g'),
            baseline: measure,
            candidate: measure,
            at: T0 + i,
          };
        }),
      },
    };
    for (const [i, { accountId }] of ACCOUNTS.slice(-100).entries()) {
      const report = {
        accountId,
        version: '2026.47.0',
        step: 'watch',
        stalled: true as const,
        since: T0,
        stalledForMs: 60_000,
        cause: long('x'),
        detail: long('y'),
      };
      status = swapStallReported(status, report, 1e9, T0 + i).status;
    }
    for (let i = 0; i < 400; i++) status = rejectSignal(status, { signal: 'pause', reason: long('t') }, T0 + i).status;

    const overview = statusOverview(status);
    expect(bytes(overview)).toBeLessThan(OVERVIEW_MAX_BYTES);
    expect(overview.freeze?.overrides).toHaveLength(5);
    expect(overview.stalls!.length).toBeGreaterThan(0);
    expect(overview.stalls!.length + overview.stallsOmitted!).toBe(100);
    expect(overview.issues.at(-1)!.id).toBe(500);
    expect(overview.issues.length + overview.issuesOmitted!).toBe(500);
    expect(overview.openIssues[0].id).toBe(1);
    expect(overview.openIssues.length + overview.openIssuesOmitted!).toBe(250);
    expect(overview.openIssues[0]).toMatchObject({ accountsOmitted: 990 });
    expect(overview.notes.length + overview.notesOmitted!).toBe(100);
    expect(overview.validation!.regressions.map((r) => r.accountId)).toEqual([15, 16, 17, 18, 19].map(id));
    expect(overview.timeline.at(-1)).toMatchObject({ event: 'signal pause rejected' });
  });

  test('a small release answers everything, nothing left out', () => {
    const overview = statusOverview(plannedRelease());
    const { accounts, ...summary } = statusView(plannedRelease());
    expect(Object.keys(accounts)).toHaveLength(3);
    expect(overview).toEqual({ ...summary, accountsTotal: 3 });
  });
});

describe("the release's result", () => {
  test('over 2,000 accounts: the accounts not promoted, and how many it left out, far under the 2 MB limit', () => {
    const result = resultView(big);
    expect(Object.keys(result.accounts)).toHaveLength(120); // 20 rolled back, 100 still deploying
    expect(Object.values(result.accounts).every((a) => a.outcome !== 'promoted')).toBe(true);
    expect(result.accountsOmitted).toBe(19_880);
    expect(bytes(result)).toBeLessThan(1_000_000);
  });

  test('up to 2,000 accounts: every account, as before', () => {
    const small = plannedRelease(ACCOUNTS.slice(0, RESULT_ACCOUNTS_LIMIT));
    expect(resultView(small)).toEqual(statusView(small));
    expect(Object.keys(resultView(small).accounts)).toHaveLength(RESULT_ACCOUNTS_LIMIT);
  });
});

describe('the `accounts` query', () => {
  const all = (request: Record<string, unknown>) => {
    const seen: AccountEntry[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = accountsPage(big, parseAccountsRequest({ ...request, ...(pageToken ? { pageToken } : {}) }));
      expect(bytes(page)).toBeLessThan(PAGE_MAX_BYTES);
      expect(page.total).toBe(20_000);
      seen.push(...page.accounts);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    return { seen, pages };
  };

  test('pages through all 20,000 accounts in plan order, each page bounded', () => {
    const { seen, pages } = all({ pageSize: 1000 });
    expect(seen.map((a) => a.accountId)).toEqual(ACCOUNTS.map((a) => a.accountId));
    expect(pages).toBe(20);
    expect(seen[0]).toEqual({ accountId: 'account-00000', ...statusView(big).accounts['account-00000'] });
  });

  test('filters by wave, state and outcome', () => {
    const rolledBack = all({ outcome: 'rolled-back' }).seen;
    expect(rolledBack).toHaveLength(20);
    expect(rolledBack.every((a) => a.outcome === 'rolled-back' && a.reason!.length > 0)).toBe(true);
    const deployingWave1 = all({ wave: 1, state: 'deploying', pageSize: 2 });
    expect(deployingWave1.seen.map((a) => a.accountId)).toEqual(
      ACCOUNTS.slice(-100)
        .filter((a) => a.wave === 1)
        .map((a) => a.accountId),
    );
    expect(all({ wave: 2 }).seen).toHaveLength(19_000);
  });

  test('asks for named accounts; ids the release does not have are left out', () => {
    const page = accountsPage(big, parseAccountsRequest({ accountIds: ['account-00001', 'nobody'] }));
    expect(page.accounts).toEqual([expect.objectContaining({ accountId: 'account-00001', outcome: 'rolled-back' })]);
    expect(page.nextPageToken).toBeUndefined();
  });

  test('a request it cannot answer is refused saying what to fix', () => {
    expect(() => parseAccountsRequest({ wave: 3 })).toThrow(/accounts: wave: give 0, 1 or 2/);
    expect(() => parseAccountsRequest({ pageSize: 5000 })).toThrow(AccountsRequestRefused);
    expect(() => parseAccountsRequest({ pageToken: 'next' })).toThrow(/pageToken: give the nextPageToken/);
    expect(() => parseAccountsRequest({ outcome: 'gone' })).toThrow(/outcome/);
    expect(() => parseAccountsRequest({ colour: 'red' })).toThrow(/colour/);
    expect(() => accountsPage(big, parseAccountsRequest({ pageToken: 'p999999' }))).toThrow(/start again without one/);
    expect(parseAccountsRequest(undefined)).toEqual({ pageSize: 100 });
  });
});
