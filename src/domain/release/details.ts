/** The current details of a release in the Temporal UI: the wave table and what holds the release (markdown). */
import { describeFreeze } from './freezes';
import { scheduleMarks } from './schedule';
import { newSwapsHeld, stallReason } from './stalls';
import { openIssues, waveTwoStartsAt, type ReleaseStatus } from './status';
import { iso } from './timeline';

export function renderWaveTable(status: ReleaseStatus): string {
  const counts = status.accounts.counts;
  const open = openIssues(status);
  const lines = [
    `**Release ${status.releaseId}** → \`${status.targetVersion}\` (${status.kind}) · stage **${status.stage}**` +
      (status.paused ? ` · ⏸ paused: ${status.pauseReason ?? ''}` : '') +
      (status.holdReason ? ` · held: ${status.holdReason}` : ''),
    '',
    '| Wave | Accounts | Pending | Deploying | Promoted | Rolled back | Failed | Cancelled | Reverted |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const wave of [0, 1, 2] as const) {
    if (wave === 0 && counts.wave0.total === 0) continue;
    const c = wave === 0 ? counts.wave0 : wave === 1 ? counts.wave1 : counts.wave2;
    const name = wave === 0 ? '0 (internal)' : wave === 1 ? '1 (early access)' : '2';
    lines.push(
      `| ${name} | ${c.total} | ${c.pending} | ${c.deploying} | ${c.promoted} | ${c['rolled-back']} | ${c.failed} | ${c.cancelled} | ${c.reverted} |`,
    );
  }
  lines.push(
    '',
    `Day 2: ${iso(scheduleMarks(status.schedule).day2)} · wave 2 not before: ${iso(waveTwoStartsAt(status))}`,
  );
  if (status.freeze?.waitingOn)
    lines.push(
      '',
      `❄ waiting: ${describeFreeze(status.freeze.waitingOn)}; no new swap starts (overrideFreeze to go on)`,
    );
  if (status.pendingPatch)
    lines.push(`Pending patch: \`${status.pendingPatch.version}\` (${status.pendingPatch.reason})`);
  if (status.ownStall)
    lines.push(
      '',
      `⚠ ${status.ownStall.step} stalled: ${stallReason({ ...status.ownStall, stalledForMs: status.ownStall.checkedAt - status.ownStall.since })}`,
    );
  if (status.stalls.length) {
    const held = newSwapsHeld(status);
    lines.push(
      '',
      `⚠ Stalled swaps (${status.stalls.length}), retried and never rolled back for it${held ? `; ${held}` : ''}:`,
      ...status.stalls.slice(0, 5).map((s) => `- ${s.accountId} at ${s.step} since ${iso(s.since)}: ${stallReason(s)}`),
    );
  }
  if (open.length)
    lines.push('', `Open issues (${open.length}):`, ...open.slice(0, 5).map((i) => `- #${i.id} ${i.summary}`));
  return lines.join('\n');
}
