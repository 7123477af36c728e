import { notificationOf } from '../../../src/domain/notify/notification';
import {
  BATCH_SIZE,
  nextBatch,
  OUTBOX_LIMIT,
  queueNotifications,
  recordDelivery,
  undeliveredView,
  newNotify,
  ReleaseNotifySchema,
} from '../../../src/domain/notify/outbox';
import { slackMessage } from '../../../src/domain/notify/slack';
import { notifySinks, queueNotificationsOf } from '../../../src/domain/notify/transitions';
import { readCarried, carry } from '../../../src/domain/release/carried';
import {
  clipEvidence,
  EVIDENCE_LIMIT,
  finishDeployment,
  startDeployment,
} from '../../../src/domain/release/deployments';
import type { ReleaseEvent, ReleaseEventBody } from '../../../src/domain/release/events';
import { enterStage } from '../../../src/domain/release/lifecycle';
import { statusOverview } from '../../../src/domain/release/overview';
import { plannedRelease, T0 } from '../release/support';

const RELEASE = { releaseId: '2026-47', version: '2026.47.0' };
const event = (body: ReleaseEventBody, seq = 7): ReleaseEvent => ({ ...body, seq, at: T0 });

describe('which release events become notifications', () => {
  it('names each by the release event it comes from, with the type, version, time and text', () => {
    expect(notificationOf(RELEASE, event({ type: 'paused', reason: 'dashboards red', via: 'update' }))).toEqual({
      id: '2026-47/7',
      seq: 7,
      type: 'paused',
      releaseId: '2026-47',
      version: '2026.47.0',
      at: '2026-11-23T09:00:00.000Z',
      text: 'paused: dashboards red',
      details: { reason: 'dashboards red', via: 'update' },
    });
  });

  it('tells the start of wave 1 from later stages, and leaves stages with events of their own to them', () => {
    const type = (body: ReleaseEventBody) => notificationOf(RELEASE, event(body))?.type;
    expect(type({ type: 'stage-entered', stage: 'wave-1', from: 'scheduled' })).toBe('started');
    expect(type({ type: 'stage-entered', stage: 'bake', from: 'wave-1' })).toBe('stage-entered');
    expect(type({ type: 'stage-entered', stage: 'wave-1', from: 'held' })).toBe('stage-entered');
    expect(type({ type: 'stage-entered', stage: 'held', from: 'wave-1' })).toBeUndefined();
    expect(type({ type: 'stage-entered', stage: 'completed', from: 'wave-2' })).toBeUndefined();
    expect(type({ type: 'day-changed', day: 2 })).toBeUndefined();
    expect(type({ type: 'hold-lifted', by: 'patch' })).toBeUndefined();
  });

  it('notifies accounts that rolled back or failed with the evidence of the checks that did not pass, not promotions', () => {
    const status = startDeployment(
      plannedRelease(),
      { accountId: 'acme', version: '2026.47.0', revert: false },
      T0,
    ).status;
    const rolledBack = finishDeployment(
      status,
      {
        accountId: 'acme',
        version: '2026.47.0',
        revert: false,
        ending: 'result',
        report: {
          outcome: 'rolled-back',
          fromVersion: '2026.46.0',
          toVersion: '2026.47.0',
          failedStep: 'canary',
          reason: '40% of samples differ',
          checks: [
            { check: 'initialization', verdict: 'passed', summary: 'ok', evidence: {} },
            { check: 'canary', verdict: 'failed', summary: '4 of 10 differ', evidence: { mismatches: 4, sample: 10 } },
          ],
        },
      },
      T0,
    );
    const notified = notificationOf(RELEASE, rolledBack.events[0]);
    expect(notified).toMatchObject({
      type: 'account-rolled-back',
      text: 'acme rolled-back on 2026.47.0: canary: 40% of samples differ',
      details: {
        accountId: 'acme',
        wave: 1,
        fromVersion: '2026.46.0',
        evidence: [
          { check: 'canary', verdict: 'failed', summary: '4 of 10 differ', evidence: { mismatches: 4, sample: 10 } },
        ],
      },
    });
    const promoted = finishDeployment(
      status,
      {
        accountId: 'acme',
        version: '2026.47.0',
        revert: false,
        ending: 'result',
        report: { outcome: 'promoted', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
      },
      T0,
    );
    expect(notificationOf(RELEASE, promoted.events[0])).toBeUndefined();
  });

  it('clips evidence too large to keep in the status', () => {
    const status = startDeployment(
      plannedRelease(),
      { accountId: 'acme', version: '2026.47.0', revert: false },
      T0,
    ).status;
    const { events } = finishDeployment(
      status,
      {
        accountId: 'acme',
        version: '2026.47.0',
        revert: false,
        ending: 'result',
        report: {
          outcome: 'rolled-back',
          fromVersion: '2026.46.0',
          toVersion: '2026.47.0',
          checks: [
            {
              check: 'canary',
              verdict: 'failed',
              summary: 'differ',
              evidence: {
                mismatched: 8,
                differingUseCases: ['pricing', 'search', 'ranking', 'ads'],
                differingEntities: Array.from({ length: 50 }, (_, i) => ({ entity: `e${i}`, blue: 'x'.repeat(50) })),
                byUseCase: { pricing: { note: 'y'.repeat(400) } },
              },
            },
          ],
        },
      },
      T0,
    );
    const [canary] = notificationOf(RELEASE, events[0])!.details.evidence as Array<{
      evidence: Record<string, unknown>;
    }>;
    expect(canary.evidence).toMatchObject({
      mismatched: 8,
      differingUseCases: ['pricing', 'search', 'ranking'],
      omitted: ['byUseCase'],
    });
    expect(canary.evidence.differingEntities).toHaveLength(3);
    expect(JSON.stringify(canary.evidence).length).toBeLessThanOrEqual(EVIDENCE_LIMIT);
    expect(clipEvidence({ blob: Array.from({ length: 3 }, () => 'z'.repeat(2_000)) })).toEqual({ omitted: ['blob'] });
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`figure${i}`, 'v'.repeat(100)]));
    expect((clipEvidence(wide).truncated as string).length).toBe(EVIDENCE_LIMIT);
  });
});

describe('the outbox of a release', () => {
  it('queues nothing for a release without sinks', () => {
    const status = notifySinks(plannedRelease(), []).status;
    expect(status.notify).toBeUndefined();
    const moved = enterStage(status, { stage: 'wave-1' }, T0);
    expect(queueNotificationsOf(moved.status, moved.events)).toBe(moved.status);
  });

  it('queues in seq order and keeps each notification until every sink has it', () => {
    const status = notifySinks(plannedRelease(), ['webhook', 'inbox']).status;
    const moved = enterStage(status, { stage: 'wave-1' }, T0);
    let notify = queueNotificationsOf(moved.status, moved.events).notify!;
    notify = queueNotifications(notify, RELEASE, [
      event({ type: 'held', reason: 'issue #1' }, moved.events[0].seq + 1),
    ]);
    expect(notify.outbox.map((n) => n.type)).toEqual(['started', 'held']);
    const [first, second] = notify.outbox;

    const batch = nextBatch(notify, RELEASE.releaseId)!;
    expect(batch.after).toEqual({ webhook: 0, inbox: 0 });
    notify = recordDelivery(
      notify,
      [
        { sink: 'webhook', deliveredThrough: first.seq, error: 'HTTP 503 from http://hooks/' },
        { sink: 'inbox', deliveredThrough: second.seq },
      ],
      T0 + 1000,
    );
    expect(notify.outbox.map((n) => n.id)).toEqual([second.id]);
    expect(nextBatch(notify, RELEASE.releaseId)!.after).toEqual({ webhook: first.seq, inbox: second.seq });
    expect(undeliveredView(notify)).toEqual({
      sinks: ['webhook', 'inbox'],
      count: 1,
      oldest: { id: second.id, type: 'held', at: second.at },
      lastError: { sink: 'webhook', message: 'HTTP 503 from http://hooks/', at: '2026-11-23T09:00:01.000Z' },
    });

    notify = recordDelivery(notify, [{ sink: 'webhook', deliveredThrough: second.seq }], T0 + 2000);
    expect(notify.outbox).toEqual([]);
    expect(notify.lastError).toBeUndefined();
    expect(nextBatch(notify, RELEASE.releaseId)).toBeUndefined();
  });

  it('sends at most a batch at a time and drops the oldest past its limit, counting them', () => {
    let notify = newNotify(['webhook'])!;
    const many = Array.from({ length: OUTBOX_LIMIT + 5 }, (_, i) =>
      event({ type: 'paused', reason: `r${i}`, via: 'signal' }, i + 1),
    );
    notify = queueNotifications(notify, RELEASE, many);
    expect(notify.outbox).toHaveLength(OUTBOX_LIMIT);
    expect(notify.outbox[0].seq).toBe(6);
    expect(notify.dropped).toBe(5);
    expect(nextBatch(notify, RELEASE.releaseId)!.notifications).toHaveLength(BATCH_SIZE);
    expect(undeliveredView(notify).dropped).toBe(5);
  });

  it('is carried by continue-as-new and shown in the status answer', () => {
    const status = notifySinks(plannedRelease(), ['webhook']).status;
    const moved = enterStage(status, { stage: 'wave-1' }, T0);
    const queued = queueNotificationsOf(moved.status, moved.events);
    expect(readCarried(JSON.parse(JSON.stringify(carry(queued)))).notify).toEqual(queued.notify);
    expect(statusOverview(queued).undelivered).toMatchObject({ sinks: ['webhook'], count: 1 });
    expect(statusOverview(plannedRelease()).undelivered).toBeUndefined();
    expect(ReleaseNotifySchema.safeParse({ ...queued.notify, sinks: ['pager'] }).success).toBe(false);
  });
});

describe('the Slack message', () => {
  it('is one mrkdwn line with the release, its version and the text, escaped', () => {
    const notified = notificationOf(
      RELEASE,
      event({ type: 'issue-opened', issueId: 1, source: 'on-call', summary: 'latency <p99> & errors' }),
    )!;
    expect(slackMessage(notified)).toEqual({
      text: ':warning: *2026-47* (2026.47.0) issue #1 opened (on-call): latency &lt;p99&gt; &amp; errors',
    });
  });
});
