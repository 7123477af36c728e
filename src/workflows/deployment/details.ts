import type { DeploymentStatus } from '../../domain/deployment/swap';

const ICON = { passed: '✅', failed: '❌', inconclusive: '❔' } as const;

/** The current details shown in the Temporal UI: where the account is, what the checks found, why it rolled back. */
export function renderDetails(status: DeploymentStatus, note?: string): string {
  const lines = [
    `**${status.accountId}**: ${status.fromVersion ?? '?'} → ${status.version} (${status.kind}${status.mode === 'revert' ? ', revert' : ''})${status.releaseId ? `, release ${status.releaseId}` : ''}`,
    '',
    `Step: **${status.step}**${status.held ? ' (held by the release)' : ''}${status.awaitingApproval ? ' (waiting for approve / reject)' : ''}${status.accountHeldBy ? ` (waiting for the account: ${status.accountHeldBy.workflowId} holds it)` : ''}`,
  ];
  if (status.outcome) lines.push(`Outcome: **${status.outcome}**${status.reason ? `: ${status.reason}` : ''}`);
  else if (status.reason) lines.push(`Reason: ${status.reason}`);
  if (status.stalled)
    lines.push(
      '',
      `⚠ **Stalled** at ${status.stalled.step} (${status.stalled.activity}) since ${status.stalled.since}: ${status.stalled.reason}. Nothing is rolled back because of it.`,
    );
  if (note) lines.push('', note);
  if (status.checks.length > 0) {
    lines.push('', '| check | verdict | summary |', '|---|---|---|');
    for (const check of status.checks)
      lines.push(
        `| ${check.check} | ${ICON[check.verdict]} ${check.verdict} | ${check.summary.replace(/\|/g, '\\|')} |`,
      );
  }
  lines.push(
    '',
    `Blue: ${status.instances.blue.join(', ') || '-'}; green: ${status.instances.green.join(', ') || '-'}`,
  );
  return lines.join('\n');
}
