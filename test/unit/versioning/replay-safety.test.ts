/**
 * The pieces that keep running workflows replaying across worker builds: decision limits carried in
 * the release's status, update handlers that read accepted payloads leniently, and build ids.
 */
import { carry, readCarried } from '../../../src/domain/release/carried';
import {
  DECISION_LIMITS,
  DECISION_LIMITS_BEFORE_STATUS,
  historyWouldOverflow,
  limitsOf,
} from '../../../src/domain/release/limits';
import { MessageRejected, parseMessage, readAcceptedMessage } from '../../../src/domain/release/messages';
import { newReleaseStatus } from '../../../src/domain/release/status';
import { bundleHash, BuildIdSchema, resolveBuildId } from '../../../src/versioning/build-id';
import { plannedRelease, T0 } from '../release/support';

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('decision limits', () => {
  const started = (limits = { eventsPerDeployment: 5, historySoftLimit: 500 }) =>
    newReleaseStatus({
      releaseId: '2026-47',
      version: '2026.47.0',
      kind: 'minor',
      notes: [],
      schedule: { startAt: T0, stageLength: 1000 },
      now: T0,
      limits,
    });

  test('a release decides with the limits it started with, carried through continue-as-new', () => {
    const status = started();
    const next = readCarried(throughJson(carry(status)));
    expect(limitsOf(next)).toEqual({ eventsPerDeployment: 5, historySoftLimit: 500 });
    expect(historyWouldOverflow(limitsOf(next), 490, 0)).toBe(false);
    expect(historyWouldOverflow(limitsOf(next), 496, 0)).toBe(true);
    expect(historyWouldOverflow(limitsOf(next), 480, 4)).toBe(true);
  });

  test('a release started before the limits were kept uses the frozen earlier values', () => {
    const earlier = plannedRelease();
    expect(earlier.limits).toBeUndefined();
    expect(limitsOf(readCarried(throughJson(carry(earlier))))).toEqual(DECISION_LIMITS_BEFORE_STATUS);
    expect(DECISION_LIMITS_BEFORE_STATUS).toEqual({ eventsPerDeployment: 8, historySoftLimit: 7_000 });
    expect(Object.isFrozen(DECISION_LIMITS_BEFORE_STATUS)).toBe(true);
  });

  test('carried limits are checked like every carried field', () => {
    const carried = throughJson(carry(started(DECISION_LIMITS))) as { status: { limits: unknown } };
    carried.status.limits = { eventsPerDeployment: 0, historySoftLimit: 7_000 };
    expect(() => readCarried(carried)).toThrow(/limits\.eventsPerDeployment/);
  });
});

describe('update handlers read accepted payloads by their shape only', () => {
  test('a payload accepted under earlier rules still reads back when the rules are stricter', () => {
    const longReason = 'x'.repeat(600); // over today's 500-character rule
    expect(() => parseMessage('pause', { reason: longReason })).toThrow(MessageRejected);
    expect(readAcceptedMessage('pause', { reason: longReason })).toEqual({
      name: 'pause',
      payload: { reason: longReason },
    });
    expect(readAcceptedMessage('abort', { reason: ' stop ' })).toEqual({
      name: 'abort',
      payload: { reason: 'stop', rollback: false },
    });
    expect(readAcceptedMessage('resume', undefined)).toEqual({ name: 'resume', payload: {} });
  });
});

describe('build ids', () => {
  test('BUILD_ID wins; otherwise the same bundle always gets the same id and another bundle another one', () => {
    expect(resolveBuildId({ buildId: 'v42', repoDir: '/nonexistent', bundleCode: 'a' })).toBe('v42');
    const a = resolveBuildId({ repoDir: '/nonexistent', bundleCode: 'code a' });
    expect(a).toBe(bundleHash('code a'));
    expect(a).toMatch(/^bundle-[0-9a-f]{16}$/);
    expect(resolveBuildId({ repoDir: '/nonexistent', bundleCode: 'code b' })).not.toBe(a);
  });

  test('build ids are plain', () => {
    expect(BuildIdSchema.safeParse('4e4280c1').success).toBe(true);
    expect(BuildIdSchema.safeParse('a b').success).toBe(false);
  });
});
