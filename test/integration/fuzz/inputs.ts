/**
 * The valid inputs and messages the fuzz tests start from, and other values each field may take
 * (edges of its range, other valid choices, things the platform does not know), against the fake
 * fleet of workflows.fuzz.test.ts: versions 1.0, 2.0, 2.1 and 1.0-flaky (blue that errors), and
 * accounts fz-early (early access), fz-late, fz-swap and fz-major (with an open window).
 */
import { carry } from '../../../src/domain/release/carried';
import { RELEASE_STAGES } from '../../../src/domain/release/input';
import { planRelease } from '../../../src/domain/release/lifecycle';
import { newReleaseStatus } from '../../../src/domain/release/status';
import type { Alternatives, Json } from '../../support/fuzz';

const SECOND = 1000;
const DAY = 86_400_000;
export const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

export const FAST_STRATEGY = {
  readinessTimeout: '5 seconds',
  smokeRequests: 1,
  canary: { sampleSize: 4 },
  watch: { duration: '1 second', probesPerSecond: 5, maxP99Ms: 1000 },
  keepBlueWarm: 0,
  drainTimeout: '5 seconds',
  approvalTimeout: '1 minute',
};

const STRATEGY_ALTERNATIVES: Alternatives = {
  instances: [1, 2, 50],
  'concurrency.wave1': [1, 1000],
  'concurrency.wave2': [1, 1000],
  'failureBudget.wave1': [0, 1, 20_000],
  'failureBudget.wave2': [0, 1, 20_000],
  readinessTimeout: ['1 second', '1 hour', 1000],
  smokeRequests: [1, 100],
  'canary.sampleSize': [1, 200],
  'canary.mismatchThreshold': [0, 1],
  'canary.minAnsweredFraction': [0, 1],
  approvalTimeout: [0, '1 second', '7 days'],
  'watch.duration': ['1 second', '1 day', 1000],
  'watch.probesPerSecond': [0.1, 200],
  'watch.maxErrorRate': [0, 1],
  'watch.maxP99Ms': [0.5, 1, 60_000],
  keepBlueWarm: [0, '2 seconds', '1 day'],
  drainTimeout: [0, '1 hour'],
};

function under(prefix: string, alternatives: Alternatives): Alternatives {
  return Object.fromEntries(Object.entries(alternatives).map(([path, values]) => [`${prefix}.${path}`, values]));
}

export const VALID_RELEASE = {
  releaseId: 'fz-release',
  version: '2.0',
  accounts: ['fz-early', 'fz-late'],
  schedule: { stageLength: '1 second' },
  strategy: FAST_STRATEGY,
} satisfies Json;

export const RELEASE_ALTERNATIVES: Alternatives = {
  releaseId: ['fz-other', 'a'.repeat(100)],
  version: ['1.0', '2.0', '2.1', '1.0-flaky', '9999.0.0'],
  kind: ['minor', 'major'],
  notes: [[], ['Faster fraud scores'], Array.from({ length: 100 }, () => 'n')],
  accounts: [['fz-early'], ['fz-late'], ['fz-major'], ['fz-early', 'fz-late', 'nobody'], []],
  'accounts.*': ['fz-late', 'fz-major', 'nobody'],
  schedule: [{}, { startAt: isoIn(2 * SECOND), stageLength: 2000 }],
  'schedule.startAt': [isoIn(-DAY), isoIn(0), isoIn(2 * SECOND), isoIn(364 * DAY)],
  'schedule.stageLength': ['1 second', '2 seconds', 2000, '30 days'],
  strategy: [{}],
  ...under('strategy', STRATEGY_ALTERNATIVES),
};

export const VALID_SWAP = {
  accountId: 'fz-swap',
  version: '2.0',
  kind: 'minor',
  strategy: FAST_STRATEGY,
} satisfies Json;

export const SWAP_ALTERNATIVES: Alternatives = {
  accountId: ['fz-swap', 'fz-major', 'fz-early', 'nobody'],
  version: ['1.0', '2.0', '2.1', '1.0-flaky', '9999.0.0'],
  kind: ['minor', 'major'],
  releaseId: ['fz-release'],
  strategy: [{}],
  ...under('strategy', STRATEGY_ALTERNATIVES),
};

/** What continue-as-new would carry for VALID_RELEASE, planned a moment ago. */
export function validCarried(): Json {
  const now = Date.now();
  const planning = newReleaseStatus({
    releaseId: VALID_RELEASE.releaseId,
    version: VALID_RELEASE.version,
    kind: 'minor',
    notes: [],
    schedule: { startAt: now, stageLength: SECOND },
    now,
  });
  const accounts = [
    { accountId: 'fz-early', wave: 1 as const },
    { accountId: 'fz-late', wave: 2 as const },
  ];
  return JSON.parse(JSON.stringify(carry(planRelease(planning, { accounts }, now).status))) as Json;
}

export function carriedAlternatives(): Alternatives {
  const now = Date.now();
  const account = 'status.accounts.table.buckets.*.*';
  return {
    format: [1, 2, 3],
    'status.stage': [...RELEASE_STAGES],
    'status.day': [1, 2, 3],
    'status.paused': [true, false],
    'status.pauseReason': ['investigating'],
    'status.holdReason': ['an issue is open'],
    'status.targetVersion': ['1.0', '2.1', '9999.0.0'],
    'status.pendingPatch': [
      { version: '2.1', reason: 'the fix', at: now },
      { version: '9999.0.0', reason: 'the fix', at: now },
    ],
    'status.abort': [
      { reason: 'bad build', rollback: false, at: now },
      { reason: 'bad build', rollback: true, at: now },
    ],
    'status.halt': [
      { wave: 1, reason: 'failure budget spent' },
      { wave: 2, reason: 'failure budget spent' },
    ],
    'status.lastWaveOneFinishedAt': [now - SECOND, now],
    'status.issues': [[{ id: 1, source: 'on-call', summary: 'latency', accounts: ['fz-early'], openedAt: now }]],
    'status.nextIssueId': [1, 2],
    'status.runs': [1, 5],
    'status.schedule.startAt': [now - DAY, now + 2 * SECOND],
    'status.accounts.table.keys.*': ['fz-late', 'nobody', '🙂', 'a/b', 'x'.repeat(255)],
    [`${account}.state`]: ['pending', 'deploying', 'done'],
    [`${account}.version`]: [null, '1.0', '2.0', '2.1', 'Release_1.0~build:7'],
    [`${account}.previous`]: [null, '1.0', 'Release_1.0~build:7', 'v'.repeat(255)],
    [`${account}.attempted`]: ['2.0', '2.1'],
    [`${account}.outcome`]: ['promoted', 'rolled-back', 'failed', 'cancelled', 'reverted', 'not-released'],
    [`${account}.wave`]: [1, 2],
  };
}

export const VALID_RELEASE_MESSAGES = {
  pause: { reason: 'alert on fz-early' },
  resume: {},
  patch: { version: '2.1', reason: 'the fix' },
  abort: { reason: 'bad build', rollback: true },
  reportIssue: { summary: 'latency up', accounts: ['fz-early'] },
  overrideFreeze: { reason: 'security fix' },
} satisfies Record<string, Json>;

export const RELEASE_MESSAGE_ALTERNATIVES: Alternatives = {
  version: ['2.0', '2.1', '1.0', '9999.0.0'],
  rollback: [true, false],
  accounts: [[], ['fz-late'], ['nobody']],
  'accounts.*': ['fz-late', 'nobody'],
  reason: ['r', 'x'.repeat(500)],
};

export const VALID_SWAP_MESSAGES = {
  approve: { by: 'alice', reason: 'blue is flaky' },
  reject: { by: 'alice', reason: 'customer asked to wait' },
  hold: { reason: 'release paused: alert' },
  release: { reason: 'release resumed' },
} satisfies Record<string, Json>;

export const SWAP_MESSAGE_ALTERNATIVES: Alternatives = {
  by: ['bob', ''],
  reason: ['', 'x'.repeat(500)],
};
