/**
 * The plan for people: the waves with their times and what delays them, then one line per account.
 * `npm run plan` prints it for a dry run and for a running release alike.
 */
import { formatElapsed } from '../primitives';
import type { PlannedAccount, PlannedWave, ReleasePlan } from './preview';

export interface RenderOptions {
  /** Account lines shown per wave (the rest are counted); default 25. */
  accountsPerWave?: number;
}

export function renderPlan(plan: ReleasePlan, options: RenderOptions = {}): string {
  const perWave = options.accountsPerWave ?? 25;
  const lines = [
    `Plan of release ${plan.releaseId}: ${plan.kind} upgrade to ${plan.version}`,
    `  generated ${time(plan.generatedAt)}; one swap takes about ${formatElapsed(plan.swapEstimateMs)}`,
  ];
  if (plan.waitingFor) lines.push(`  waiting for on-call: ${plan.waitingFor} (the times assume it goes on now)`);
  for (const wave of plan.waves) {
    lines.push('', ...waveHeader(wave));
    const members = plan.accounts.filter((account) => account.wave === wave.wave);
    for (const account of members.slice(0, perWave)) lines.push(accountLine(account));
    if (members.length > perWave) lines.push(`    ... and ${members.length - perWave} more account(s)`);
  }
  return lines.join('\n');
}

function waveHeader(wave: PlannedWave): string[] {
  const head = `${wave.title}: ${wave.accounts} account(s)`;
  if (wave.accounts === 0) return [`${head}, nothing to do`];
  const lines = [head];
  if (wave.scheduledAt !== undefined) lines.push(`  scheduled  ${time(wave.scheduledAt)}`);
  if (wave.startsAt !== undefined) lines.push(`  starts     ${time(wave.startsAt)}`);
  if (wave.endsAt !== undefined) lines.push(`  ends       ${time(wave.endsAt)}`);
  if (wave.done) lines.push(`  done       ${wave.done} account(s)`);
  for (const { from, to, accounts } of wave.transitions) lines.push(`  ${from ?? '(current)'} → ${to}: ${accounts}`);
  for (const delay of wave.delays) lines.push(`  delayed by ${delay.cause}: ${delay.detail}`);
  if (wave.blocked) lines.push(`  blocked    ${wave.blocked} account(s) without a usable maintenance window`);
  return lines;
}

function accountLine(account: PlannedAccount): string {
  const move = `${account.from ?? '(current)'} → ${account.to}`;
  const when =
    account.state === 'done'
      ? `done: ${account.outcome ?? 'finished'}`
      : account.state === 'deploying'
        ? `deploying, ends about ${time(account.endsAt)}`
        : `${time(account.startsAt)} to ${time(account.endsAt)}`;
  const notes = [account.blocked ? `BLOCKED: ${account.blocked}` : '', ...(account.delays ?? []).map((d) => d.detail)]
    .filter(Boolean)
    .join('; ');
  return `    ${account.accountId.padEnd(24)} ${move.padEnd(32)} ${when}${notes ? `  (${notes})` : ''}`;
}

function time(at: number | undefined): string {
  if (at === undefined) return '?';
  return new Date(at).toISOString().replace(':00.000Z', 'Z').replace('.000Z', 'Z').replace('T', ' ');
}
