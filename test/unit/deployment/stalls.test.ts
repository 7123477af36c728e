/** A swap's stall: shown in its status while a step cannot make progress, and what it tells its release. */
import { SwapStallReportSchema, stallReport, swapRecovered, swapStalled } from '../../../src/domain/deployment/stalls';
import { statusView } from '../../../src/domain/deployment/status';
import { startSwap, stepStarted } from '../../../src/domain/deployment/transitions';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const watching = () =>
  stepStarted(
    startSwap({ accountId: 'acme', version: '2026.47.0', kind: 'minor', mode: 'upgrade', releaseId: 'r1' }, T0).status,
    { step: 'watch' },
    T0,
  ).status;
const fault = { step: 'watch' as const, activity: 'watchGreen', cause: 'fleet unreachable', detail: 'ECONNREFUSED' };

describe('swap stalls', () => {
  it('a step whose budget ran out shows as stalled, since when and why, in the status query', () => {
    const { status, events } = swapStalled(watching(), { ...fault, since: T0 + 5_000 }, T0 + 135_000);
    expect(events).toEqual([{ type: 'stalled', stall: status.stall, first: true }]);
    expect(statusView(status).stalled).toEqual({
      step: 'watch',
      activity: 'watchGreen',
      since: '2026-11-23T10:00:05.000Z',
      stalledForMs: 130_000,
      reason: 'fleet unreachable for 2m10s, retrying: ECONNREFUSED',
    });
    expect(statusView(status).outcome).toBeUndefined();
  });

  it('a stall that goes on keeps its first moment; a recovery ends it', () => {
    const first = swapStalled(watching(), { ...fault, since: T0 }, T0 + 40_000).status;
    const again = swapStalled(first, { ...fault, since: T0 + 40_000, detail: 'ECONNRESET' }, T0 + 80_000);
    expect(again.events[0]).toMatchObject({ type: 'stalled', first: false });
    expect(again.status.stall).toMatchObject({ since: T0, checkedAt: T0 + 80_000, detail: 'ECONNRESET' });
    const recovered = swapRecovered(again.status, {}, T0 + 90_000);
    expect(recovered.events).toEqual([
      { type: 'recovered', step: 'watch', activity: 'watchGreen', since: T0, stalledForMs: 90_000 },
    ]);
    expect(recovered.status.stall).toBeUndefined();
    expect(statusView(recovered.status).stalled).toBeUndefined();
    expect(swapRecovered(recovered.status, {}, T0 + 91_000).events).toEqual([]);
  });

  it('tells the release what the status holds, in a shape the release accepts', () => {
    const status = swapStalled(watching(), { ...fault, since: T0 }, T0 + 40_000).status;
    const report = stallReport(status, status.stall!, true, T0 + 40_000);
    expect(report).toEqual({
      accountId: 'acme',
      version: '2026.47.0',
      stalled: true,
      step: 'watch',
      since: T0,
      stalledForMs: 40_000,
      cause: 'fleet unreachable',
      detail: 'ECONNREFUSED',
    });
    expect(SwapStallReportSchema.parse(report)).toEqual(report);
    expect(SwapStallReportSchema.safeParse({ ...report, extra: 1 }).success).toBe(false);
  });
});
