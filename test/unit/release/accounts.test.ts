import {
  accountOf,
  accountsRecord,
  accountsToRevert,
  countAccounts,
  planAccounts,
  withAccount,
  type AccountStatus,
  type ReleaseAccounts,
} from '../../../src/domain/release/accounts';

const plan = Array.from({ length: 500 }, (_, i) => ({ accountId: `a-${i}`, wave: (i % 7 === 0 ? 1 : 2) as 1 | 2 }));

describe('release accounts', () => {
  test('the running counts per wave and outcome always equal a count from scratch', () => {
    let accounts = planAccounts(plan);
    expect(accounts.counts.wave1).toMatchObject({ total: 72, pending: 72 });
    // A fixed pseudo-random walk over states and outcomes.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const states: Array<Pick<AccountStatus, 'state' | 'outcome'>> = [
      { state: 'deploying' },
      { state: 'done', outcome: 'promoted' },
      { state: 'done', outcome: 'rolled-back' },
      { state: 'done', outcome: 'failed' },
      { state: 'done', outcome: 'cancelled' },
      { state: 'done', outcome: 'reverted' },
      { state: 'deploying', outcome: 'promoted' },
    ];
    for (let i = 0; i < 3000; i++) {
      const { accountId } = plan[next() % plan.length];
      accounts = withAccount(accounts, accountId, {
        ...accountOf(accounts, accountId),
        ...states[next() % states.length],
      });
      if (i % 500 === 0) expect(accounts.counts).toEqual(countAccounts(accounts.table));
    }
    expect(accounts.counts).toEqual(countAccounts(accounts.table));
  });

  test('an account stays in its wave, and must be in the release', () => {
    const accounts = planAccounts(plan);
    expect(() => withAccount(accounts, 'a-0', { ...accountOf(accounts, 'a-0'), wave: 2 })).toThrow(/stays in wave 1/);
    expect(() => accountOf(accounts, 'nobody')).toThrow(/not in this release/);
  });

  test('a rollback returns promoted accounts to the version they ran before, and nothing else', () => {
    let accounts: ReleaseAccounts = planAccounts(plan.slice(0, 4));
    const set = (id: string, change: Partial<AccountStatus>) =>
      (accounts = withAccount(accounts, id, { ...accountOf(accounts, id), ...change }));
    set('a-0', { state: 'done', outcome: 'promoted', version: '2', previous: '1' });
    set('a-1', { state: 'done', outcome: 'rolled-back', version: '1', previous: '1' });
    set('a-2', { state: 'done', outcome: 'promoted', version: '2', previous: null });
    set('a-3', { state: 'done', outcome: 'promoted', version: '1', previous: '1' });
    expect(accountsToRevert(accounts)).toEqual([{ accountId: 'a-0', version: '1' }]);
    expect(Object.keys(accountsRecord(accounts))).toEqual(['a-0', 'a-1', 'a-2', 'a-3']);
  });
});
