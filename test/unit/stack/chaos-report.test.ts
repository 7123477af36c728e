/** The chaos run passes only on the issue's verdict, with its fault plan carried out. */
import { chaosReport, verdict, type ChaosFacts } from '../../../src/dev-stack/chaos/report';

const ACCOUNTS = ['acme', 'hooli', 'stark'];

function passingFacts(): ChaosFacts {
  const faults = { workerKills: 20, serverKills: 1, fleetOutages: 5, engineCrashes: 1 };
  return {
    seed: 1,
    releaseId: 'chaos-1',
    targetVersion: '2026.47.0',
    completed: true,
    releaseStage: 'completed',
    accounts: 3,
    accountIds: ACCOUNTS,
    accountsOnTarget: 3,
    offTarget: {},
    promotedPerAccount: { acme: 1, hooli: 1, stark: 1 },
    swapsStillRunning: 0,
    strayInstances: [],
    requests: 9_000,
    failedRequests: 0,
    failuresByCause: {},
    outcomes: { acme: 'promoted', hooli: 'promoted', stark: 'promoted' },
    openIssues: [],
    loadAccount: 'hooli',
    engineCrashAccount: 'stark',
    planned: { ...faults },
    injected: { ...faults },
    workerExits: 0,
    fleetOutageMs: 68_000,
    stageLengthMs: 20_000,
    releaseMs: 300_000,
    totalMs: 330_000,
    leftRunning: [],
  };
}

describe('the chaos verdict', () => {
  it('passes a completed release with every account on target, one promotion each, no stray and no failed request', () => {
    const report = chaosReport(passingFacts());
    expect(report).toMatchObject({
      passed: true,
      failures: [],
      workerKills: 20,
      serverKills: 1,
      fleetOutages: 5,
      completed: true,
      accounts: 3,
      accountsOnTarget: 3,
      maxPromotedSwapsPerAccount: 1,
      strayInstances: 0,
      requests: 9_000,
      failedRequests: 0,
    });
  });

  it.each<[string, (facts: ChaosFacts) => void, RegExp]>([
    [
      'a release that did not complete',
      (f) => ((f.completed = false), (f.releaseStage = 'held')),
      /did not complete \(stage: held\)/,
    ],
    [
      'an account left on the old version',
      (f) => ((f.accountsOnTarget = 2), (f.offTarget = { acme: '2026.46.0' })),
      /1 account\(s\) not on 2026.47.0: acme \(2026.46.0\)/,
    ],
    [
      'two promoted swaps of one account',
      (f) => (f.promotedPerAccount.acme = 2),
      /more than one promoted swap: acme ×2/,
    ],
    ['an account without a promoted swap', (f) => delete f.promotedPerAccount.stark, /no promoted swap: stark/],
    [
      'an instance left outside a pool',
      (f) => (f.strayInstances = ['stark_2026.47.0_ab12cd']),
      /left outside a pool: stark_/,
    ],
    [
      'a failed request',
      (f) => ((f.failedRequests = 2), (f.failuresByCause = { 'status-502': 2 })),
      /2 failed request\(s\) under load: \{"status-502":2\}/,
    ],
    ['a load that sent nothing', (f) => (f.requests = 0), /sent no request/],
    [
      'a fault plan cut short by the end of the release',
      (f) => ((f.injected.workerKills = 12), (f.injected.engineCrashes = 0)),
      /not carried out before the release ended: workerKills 12 of 20, engineCrashes 0 of 1/,
    ],
    ['a process left running', (f) => (f.leftRunning = [4242]), /1 process\(es\) still running after the run: 4242/],
  ])('fails %s', (_what, change, message) => {
    const facts = passingFacts();
    change(facts);
    const failures = verdict(facts);
    expect(failures).toEqual([expect.stringMatching(message)]);
    expect(chaosReport(facts).passed).toBe(false);
  });
});
