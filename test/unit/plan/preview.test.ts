import { previewRelease, type PlanAccount, type PlanInput } from '../../../src/domain/plan/preview';
import { parsePlanRequest, planPage, PlanRequestRefused } from '../../../src/domain/plan/page';
import { renderPlan } from '../../../src/domain/plan/render';
import { planOfRelease } from '../../../src/domain/release/plan';
import { startDeployment } from '../../../src/domain/release/deployments';
import { resolveStrategy } from '../../../src/domain/strategy';
import { plannedRelease, T0, DAY } from '../release/support';

const MINUTE = 60_000;

function account(accountId: string, wave: 0 | 1 | 2, extra: Partial<PlanAccount> = {}): PlanAccount {
  return { accountId, wave, from: '2026.47.0', state: 'pending', ...extra };
}

function input(accounts: PlanAccount[], extra: Partial<PlanInput> = {}): PlanInput {
  return {
    releaseId: 'r',
    version: '2026.48.0',
    kind: 'minor',
    schedule: { startAt: T0, stageLength: DAY },
    concurrency: { 0: 1, 1: 2, 2: 2 },
    swapMs: 10 * MINUTE,
    accounts,
    now: T0 - DAY,
    ...extra,
  };
}

describe('the plan preview', () => {
  it('puts wave 0 at once, wave 1 on Day 1 and wave 2 on Day 3, with concurrency slots in order', () => {
    const plan = previewRelease(
      input([account('int', 0), account('e1', 1), account('e2', 1), account('e3', 1), account('p1', 2)]),
    );
    const at = Object.fromEntries(plan.accounts.map((a) => [a.accountId, a.startsAt]));
    expect(at.int).toBe(T0 - DAY);
    expect(at.e1).toBe(T0);
    expect(at.e2).toBe(T0);
    expect(at.e3).toBe(T0 + 10 * MINUTE);
    expect(plan.accounts.find((a) => a.accountId === 'e3')?.delays?.[0].cause).toBe('concurrency');
    expect(at.p1).toBe(T0 + 2 * DAY);
    expect(plan.waves.map((w) => [w.wave, w.accounts, w.scheduledAt])).toEqual([
      [0, 1, undefined],
      [1, 3, T0],
      [2, 1, T0 + 2 * DAY],
    ]);
    expect(plan.waves[1].transitions).toEqual([{ from: '2026.47.0', to: '2026.48.0', accounts: 3 }]);
  });

  it('moves swaps out of a freeze and names it, and wave 2 bakes a full stage after wave 1 ends late', () => {
    const freezeEnd = T0 + 3 * 3_600_000;
    const plan = previewRelease(
      input([account('e1', 1), account('p1', 2)], {
        freeAt: (at) =>
          at >= T0 && at < freezeEnd ? { at: freezeEnd, freeze: { id: 'f@1', name: 'town hall' } } : { at },
        lastWaveOneFinishedAt: undefined,
      }),
    );
    const e1 = plan.accounts.find((a) => a.accountId === 'e1')!;
    expect(e1.startsAt).toBe(freezeEnd);
    expect(e1.delays).toEqual([
      { cause: 'freeze', detail: `freeze "town hall" until ${new Date(freezeEnd).toISOString()}` },
    ]);
    expect(plan.waves[1].delays.map((d) => d.cause)).toEqual(['freeze']);
    // Wave 2 starts at Day 3 or a full stage after wave 1's last swap, whichever is later.
    expect(plan.accounts.find((a) => a.accountId === 'p1')!.startsAt).toBe(
      Math.max(T0 + 2 * DAY, freezeEnd + 10 * MINUTE + DAY),
    );
  });

  it('pushes wave 2 a full stage after a late wave 1 and says so', () => {
    const plan = previewRelease(input([account('p1', 2)], { lastWaveOneFinishedAt: T0 + 1.5 * DAY, now: T0 + DAY }));
    expect(plan.accounts[0].startsAt).toBe(T0 + 2.5 * DAY);
    expect(plan.waves[2].delays).toEqual([{ cause: 'bake', detail: "a full stage after wave 1's last swap" }]);
  });

  it('runs a major swap inside its window and names an account without one', () => {
    const window = { start: T0 + 2 * 3_600_000, end: T0 + 4 * 3_600_000 };
    const plan = previewRelease(
      input([account('w', 1, { maintenanceWindow: window }), account('none', 1)], {
        kind: 'major',
        windowsKnown: true,
      }),
    );
    const [w, none] = plan.accounts;
    expect(w.startsAt).toBe(window.start);
    expect(w.delays?.map((d) => d.cause)).toEqual(['maintenance-window']);
    expect(none.blocked).toBe('no maintenance window announced');
    expect(plan.waves[1].blocked).toBe(1);
  });

  it('keeps accounts done with their outcome and plans only what is left', () => {
    const plan = previewRelease(
      input([account('e1', 1, { state: 'done', outcome: 'promoted' }), account('e2', 1, { state: 'deploying' })], {
        now: T0 + MINUTE,
      }),
    );
    expect(plan.accounts[0]).toMatchObject({ state: 'done', outcome: 'promoted' });
    expect(plan.accounts[0].startsAt).toBeUndefined();
    expect(plan.accounts[1]).toMatchObject({ state: 'deploying', endsAt: T0 + MINUTE + 10 * MINUTE });
    expect(plan.waves[1].done).toBe(1);
  });

  it('renders a readable plan and pages its accounts', () => {
    const plan = previewRelease(input([account('int', 0), account('e1', 1), account('p1', 2), account('p2', 2)]));
    const text = renderPlan(plan);
    expect(text).toContain('Plan of release r: minor upgrade to 2026.48.0');
    expect(text).toContain('wave 1 (Day 1): early access: 1 account(s)');
    expect(text).toContain('2026.47.0 → 2026.48.0: 2');
    expect(text).toMatch(/p2\s+2026\.47\.0 → 2026\.48\.0\s+2026-11-25 09:00Z to 2026-11-25 09:10Z/);
    const first = planPage(plan, parsePlanRequest({ wave: 2, pageSize: 1 }));
    expect(first.accounts.map((a) => a.accountId)).toEqual(['p1']);
    expect(first.accountsMatching).toBe(2);
    const second = planPage(plan, parsePlanRequest({ wave: 2, pageSize: 1, pageToken: first.nextPageToken }));
    expect(second.accounts.map((a) => a.accountId)).toEqual(['p2']);
    expect(second.nextPageToken).toBeUndefined();
    expect(() => parsePlanRequest({ wave: 3 })).toThrow(PlanRequestRefused);
    expect(() => parsePlanRequest({ wave: 3 })).toThrow(/plan: wave: give 0, 1 or 2/);
  });

  it('plans a running release from its status', () => {
    let status = plannedRelease();
    status = startDeployment(status, { accountId: 'acme', version: '2026.47.0', revert: false }, T0).status;
    const strategy = resolveStrategy({ watch: { duration: '1m' }, keepBlueWarm: 0 });
    const plan = planOfRelease(status, strategy, T0 + MINUTE);
    expect(plan.swapEstimateMs).toBe(MINUTE + 15_000);
    const byId = Object.fromEntries(plan.accounts.map((a) => [a.accountId, a]));
    expect(byId.acme.state).toBe('deploying');
    expect(byId.globex.startsAt).toBe(T0 + MINUTE);
    expect(byId.hooli.startsAt).toBe(T0 + 2 * DAY);
  });
});
