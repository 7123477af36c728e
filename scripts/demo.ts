/**
 * `npm run demo`: with `npm start` running, launches a short release on the demo fleet in which
 * the first early-access account gets a faulty version, so you watch the blue-green swap roll
 * itself back, an issue open and the release hold, and then patch it from the Temporal CLI.
 *
 * The fleet's faults are per version, so the release version is the seed's faulty
 * `2026.47.0-wrong-values` (its green instances serve wrong feature values; the canary catches
 * it). Wave 1 runs one account at a time with a failure budget of 0: the first early-access
 * account rolls back, the wave halts, and the other accounts are never touched.
 *
 *   npm run demo                 # follow the release until it ends (Ctrl-C stops watching only)
 *   npm run demo -- --no-follow  # stop watching once the release holds
 *
 * Env: TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE, FLEET_URL (default
 * http://127.0.0.1:7380), FLEET_TOKEN (when the fleet has one), TEMPORAL_TASK_QUEUE (default staged-release), TEMPORAL_UI_URL
 * (default http://localhost:8233).
 */
import { connectFromEnv, releases } from '../src/client';
import { readAppEnv } from '../src/config/env';
import { DaemonFleetProvider } from '../src/platform/daemon-client';
import { releaseWorkflowId, type StagedReleaseInput } from '../src/domain/release/input';
import type { AccountEntry } from '../src/domain/release/account-pages';
import type { ReleaseOverview } from '../src/domain/release/overview';
import { ReleaseProgress } from '../src/dev-stack/progress';

const FAULTY_VERSION = '2026.47.0-wrong-values';
const PATCH_VERSION = '2026.47.1';
const STAGE_LENGTH = '30 seconds';

async function main(): Promise<void> {
  const follow = !process.argv.includes('--no-follow');
  const env = readAppEnv();
  const uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';

  const fleet = new DaemonFleetProvider(env.FLEET_URL, { token: env.FLEET_TOKEN });
  const accounts = await fleet.listAccounts().catch((error: Error) => {
    throw new Error(`cannot reach the fleet at ${env.FLEET_URL} (${error.message}); is \`npm start\` running?`);
  });
  const early = accounts.filter((a) => a.earlyAccess).map((a) => a.accountId);
  if (early.length === 0) throw new Error('the demo fleet has no early-access account; wave 1 would be empty');

  const temporal = await connectFromEnv(process.env, { connectTimeout: 5_000 }).catch((error: Error) => {
    throw new Error(`${error.message}; is \`npm start\` running?`);
  });

  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const releaseId = `demo-${stamp}`;
  const workflowId = releaseWorkflowId(releaseId);
  const input: StagedReleaseInput = {
    releaseId,
    version: FAULTY_VERSION,
    notes: ['Demo release: the version serves wrong feature values on purpose.'],
    schedule: { stageLength: STAGE_LENGTH },
    strategy: {
      concurrency: { wave1: 1, wave2: 4 },
      failureBudget: { wave1: 0, wave2: 1 },
      watch: { duration: '3 seconds' },
      keepBlueWarm: '2 seconds',
    },
  };
  const cli = (args: string) => `npx temporal workflow ${args}`;
  const json = (value: unknown) => `'${JSON.stringify(value)}'`;

  console.log(
    `\nStarting release ${releaseId} (${accounts.length} accounts, wave 1 = ${early.join(', ')}), the same as:\n`,
  );
  console.log(
    `  ${cli(`start --type stagedRelease --task-queue ${env.TEMPORAL_TASK_QUEUE} --workflow-id ${workflowId} \\\n      --input ${json(input)}`)}\n`,
  );
  const handle = await releases.start(temporal.client, input, { taskQueue: env.TEMPORAL_TASK_QUEUE, workflowId });
  console.log(
    `Watch it in the UI: ${uiUrl}/namespaces/${temporal.namespace}/workflows/${encodeURIComponent(workflowId)}\n`,
  );

  let seen = 0;
  let stage = '';
  let explained = false;
  // A line per stage with the accounts' counts, updated in place on a terminal (plain lines under CI).
  const progress = new ReleaseProgress();
  for (;;) {
    const status = await releases.status(handle).catch(() => undefined);
    if (status) {
      const skipped = Math.max(0, seen - status.timelineDropped);
      for (const entry of status.timeline.slice(skipped))
        progress.log(`  ${entry.at.slice(11, 19)}  ${entry.event}${entry.detail ? ` — ${entry.detail}` : ''}`);
      seen = status.timelineDropped + status.timeline.length;
      stage = status.stage;
      // The demo fleet is small: every account's record is one page of the accounts query.
      const accounts = await releases.accountRecords(handle).catch(() => ({}));
      progress.update({ stage: status.stage, day: status.day ?? null, accounts });
      if (stage === 'held' && !explained) {
        explained = true;
        progress.done();
        const rolledBack = await releases.accounts(handle, { outcome: 'rolled-back' }).catch(() => undefined);
        explain(status, rolledBack?.accounts ?? [], workflowId, cli, json);
        if (!follow) break;
      }
      if (stage === 'completed' || stage === 'aborted') {
        progress.done();
        const versions = Object.entries(accounts).map(
          ([id, a]) => `${id}=${a.version ?? '?'} (${a.outcome ?? a.state})`,
        );
        console.log(`\nRelease ${stage}. Accounts: ${versions.join(', ')}\n`);
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await temporal.close();
}

function explain(
  status: ReleaseOverview,
  rolledBack: AccountEntry[],
  workflowId: string,
  cli: (args: string) => string,
  json: (value: unknown) => string,
): void {
  console.log(`
The release is HELD: ${status.holdReason}
${rolledBack.map((a) => `  ${a.accountId} rolled back automatically and is still on ${a.version}: ${a.reason}`).join('\n')}
Open issues: ${status.openIssues.map((i) => `#${i.id} ${i.summary}`).join('; ')}

Nothing else is released while the issue is open. Look at it:

  ${cli(`query --workflow-id ${workflowId} --name status -o json`)}
  ${cli(`list --query 'ReleaseStage="held"'`)}

Fix it with the patched version (it is re-released to wave 1 on Day 2, and wave 2 gets it on Day 3):

  ${cli(`update execute --workflow-id ${workflowId} --name patch --input ${json({ version: PATCH_VERSION, reason: 'fixes wrong feature values' })} -o json`)}

Or stop the release:

  ${cli(`update execute --workflow-id ${workflowId} --name abort --input ${json({ reason: 'bad build', rollback: true })} -o json`)}
`);
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
