/**
 * The chaos run's result: one JSON object (the last thing `npm run chaos` prints), and the verdict
 * the exit code follows. The run passes only when the release completed with every account on the
 * target, one promoted swap per account, no instance left outside a pool, not one failed request
 * under load, and the whole fault plan carried out (a run whose faults never happened proves nothing).
 */
export interface ChaosFacts {
  seed: number;
  releaseId: string;
  targetVersion: string;
  completed: boolean;
  /** The release's last known stage (or how its workflow ended, when it did not complete). */
  releaseStage: string | null;
  accounts: number;
  accountIds: string[];
  accountsOnTarget: number;
  offTarget: Record<string, string | null>;
  /** Per account: swaps of the release that ended promoted (visibility). */
  promotedPerAccount: Record<string, number>;
  swapsStillRunning: number;
  strayInstances: string[];
  requests: number;
  failedRequests: number;
  failuresByCause: Record<string, number>;
  /** Per account: the release's outcome, and its reason unless promoted. */
  outcomes: Record<string, string>;
  openIssues: string[];
  loadAccount: string;
  engineCrashAccount: string | null;
  planned: FaultCounts;
  injected: FaultCounts;
  /** Workers that died without being killed (each replaced); not a planned fault. */
  workerExits: number;
  fleetOutageMs: number;
  stageLengthMs: number;
  releaseMs: number;
  totalMs: number;
  /** Processes the run started that still ran after it stopped everything (pids). */
  leftRunning: number[];
}

export interface FaultCounts {
  workerKills: number;
  serverKills: number;
  fleetOutages: number;
  engineCrashes: number;
}

export interface ChaosReport {
  passed: boolean;
  failures: string[];
  seed: number;
  workerKills: number;
  serverKills: number;
  fleetOutages: number;
  engineCrashes: number;
  completed: boolean;
  accounts: number;
  accountsOnTarget: number;
  maxPromotedSwapsPerAccount: number;
  strayInstances: number;
  requests: number;
  failedRequests: number;
  releaseMs: number;
  totalMs: number;
  details: Omit<
    ChaosFacts,
    'seed' | 'completed' | 'accounts' | 'accountsOnTarget' | 'requests' | 'failedRequests' | 'releaseMs' | 'totalMs'
  >;
}

export function chaosReport(facts: ChaosFacts): ChaosReport {
  const failures = verdict(facts);
  const { seed, completed, accounts, accountsOnTarget, requests, failedRequests, releaseMs, totalMs, ...details } =
    facts;
  return {
    passed: failures.length === 0,
    failures,
    seed,
    ...facts.injected,
    completed,
    accounts,
    accountsOnTarget,
    maxPromotedSwapsPerAccount: Math.max(0, ...Object.values(facts.promotedPerAccount)),
    strayInstances: facts.strayInstances.length,
    requests,
    failedRequests,
    releaseMs,
    totalMs,
    details,
  };
}

/** Why the run failed; empty when it passed. */
export function verdict(facts: ChaosFacts): string[] {
  const failures: string[] = [];
  if (!facts.completed) failures.push(`the release did not complete (stage: ${facts.releaseStage ?? 'unknown'})`);
  if (facts.accounts === 0) failures.push('the fleet has no account');
  if (facts.accountsOnTarget < facts.accounts) {
    const off = Object.entries(facts.offTarget).map(([id, version]) => `${id} (${version ?? 'no pool'})`);
    failures.push(
      `${facts.accounts - facts.accountsOnTarget} account(s) not on ${facts.targetVersion}: ${off.join(', ')}`,
    );
  }
  const promotedTwice = Object.entries(facts.promotedPerAccount).filter(([, count]) => count > 1);
  if (promotedTwice.length > 0) {
    failures.push(`more than one promoted swap: ${promotedTwice.map(([id, n]) => `${id} ×${n}`).join(', ')}`);
  }
  const withoutPromotion = facts.accountIds.filter((id) => !facts.promotedPerAccount[id]);
  if (withoutPromotion.length > 0) failures.push(`no promoted swap: ${withoutPromotion.join(', ')}`);
  if (facts.strayInstances.length > 0) {
    failures.push(`${facts.strayInstances.length} instance(s) left outside a pool: ${facts.strayInstances.join(', ')}`);
  }
  if (facts.requests === 0) failures.push('the load generator sent no request');
  if (facts.failedRequests > 0) {
    failures.push(`${facts.failedRequests} failed request(s) under load: ${JSON.stringify(facts.failuresByCause)}`);
  }
  const short = (Object.keys(facts.planned) as (keyof FaultCounts)[]).filter(
    (kind) => facts.injected[kind] < facts.planned[kind],
  );
  if (short.length > 0) {
    const counts = short.map((kind) => `${kind} ${facts.injected[kind]} of ${facts.planned[kind]}`);
    failures.push(`the fault plan was not carried out before the release ended: ${counts.join(', ')}`);
  }
  if (facts.leftRunning.length > 0) {
    failures.push(
      `${facts.leftRunning.length} process(es) still running after the run: ${facts.leftRunning.join(', ')}`,
    );
  }
  return failures;
}
