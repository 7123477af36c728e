/**
 * Major upgrades run inside each account's maintenance window, announced ahead. The release keeps,
 * per account of a major release, the window it announced and when; an account's swap may start
 * once its window is open and its announcement is at least the lead time old, and must start before
 * the window closes. An account without such a window "needs window": no swap starts for it until a
 * usable window appears in the registry (read again before each wave), and at the end of the
 * release it is not released, saying so.
 */
import { formatDuration } from '../primitives';
import { accountOf, isInRelease, withAccount } from './accounts';
import { emit, REASON_LIMIT, unchanged, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';

export interface AccountWindow {
  start: number;
  end: number;
}

export interface AnnouncedWindow extends AccountWindow {
  /** When the release announced this window (its notification went out). */
  announcedAt: number;
}

export interface MaintenanceState {
  /** How long before a major swap its window must have been announced. */
  leadMs: number;
  windows: Record<string, AnnouncedWindow>;
  /** Accounts with no usable window now, and why. */
  needsWindow: Record<string, string>;
}

/** What the lead time and the window allow: the earliest start, or why the window cannot be used. */
export function windowOpening(
  window: AnnouncedWindow,
  leadMs: number,
  now: number,
): { notBefore: number } | { unusable: string } {
  const notBefore = Math.max(window.start, window.announcedAt + leadMs);
  if (notBefore >= window.end)
    return {
      unusable: `its window (${iso(window.start)} to ${iso(window.end)}) closes before the ${formatDuration(leadMs)} announcement lead time has passed`,
    };
  if (window.end <= now) return { unusable: `its window closed at ${iso(window.end)}` };
  return { notBefore };
}

/**
 * The registry's windows read again: a new or moved window is announced now (its lead time counts
 * from now); an account without a usable one needs a window. Events: one `maintenance-announced`
 * per announcement, one `maintenance-needs-window` per account that newly lacks a window.
 */
export function announceWindows(
  status: ReleaseStatus,
  read: { accounts: ReadonlyArray<{ accountId: string; window?: AccountWindow }>; leadMs: number },
  now: number,
): Transition {
  const previous = status.maintenance ?? { leadMs: read.leadMs, windows: {}, needsWindow: {} };
  const windows: Record<string, AnnouncedWindow> = {};
  const needsWindow: Record<string, string> = {};
  const bodies: Parameters<typeof emit>[3][number][] = [];
  for (const { accountId, window } of read.accounts) {
    const known = previous.windows[accountId];
    let announced: AnnouncedWindow | undefined;
    if (window && window.end > now) {
      const same = known && known.start === window.start && known.end === window.end;
      announced = same ? known : { ...window, announcedAt: now };
      if (!same)
        bodies.push({
          type: 'maintenance-announced',
          accountId,
          start: window.start,
          end: window.end,
          notBefore: Math.max(window.start, now + read.leadMs),
          moved: known !== undefined,
        });
      windows[accountId] = announced;
    }
    // Only an account still waiting for its swap can need a window.
    if (!isInRelease(status.accounts, accountId) || accountOf(status.accounts, accountId).state !== 'pending') continue;
    const opening = announced
      ? windowOpening(announced, read.leadMs, now)
      : { unusable: 'it has no maintenance window' };
    if ('unusable' in opening) {
      needsWindow[accountId] = opening.unusable;
      // Named once, when it starts needing one; the reason kept is the latest.
      if (previous.needsWindow[accountId] === undefined)
        bodies.push({ type: 'maintenance-needs-window', accountId, reason: opening.unusable });
    }
  }
  const next: MaintenanceState = { leadMs: read.leadMs, windows, needsWindow };
  if (bodies.length === 0 && status.maintenance && sameState(status.maintenance, next)) return unchanged(status);
  return emit(status, { maintenance: next }, now, bodies);
}

/** When the account's major swap may start (epoch ms), or undefined while it needs a window. */
export function majorSwapNotBefore(status: ReleaseStatus, accountId: string, now: number): number | undefined {
  const maintenance = status.maintenance;
  const window = maintenance?.windows[accountId];
  if (!maintenance || !window || maintenance.needsWindow[accountId] !== undefined) return undefined;
  const opening = windowOpening(window, maintenance.leadMs, now);
  return 'notBefore' in opening ? opening.notBefore : undefined;
}

function sameState(a: MaintenanceState, b: MaintenanceState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * At the end of a major release: every account still waiting for a usable window is not released,
 * with the reason (the accounts query and the result show it).
 */
export function leaveWithoutWindow(status: ReleaseStatus, now: number): Transition {
  const needs = status.maintenance?.needsWindow ?? {};
  let accounts = status.accounts;
  const left: string[] = [];
  for (const [accountId, reason] of Object.entries(needs)) {
    if (!isInRelease(accounts, accountId)) continue;
    const account = accountOf(accounts, accountId);
    if (account.state !== 'pending') continue;
    accounts = withAccount(accounts, accountId, {
      ...account,
      state: 'done',
      outcome: 'not-released',
      reason: clip(`needs a maintenance window: ${reason}`, REASON_LIMIT),
    });
    left.push(accountId);
  }
  if (left.length === 0) return unchanged(status);
  return emit(status, { accounts }, now, [{ type: 'maintenance-left-out', accounts: left }]);
}
