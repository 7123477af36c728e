/**
 * `npm run plan`: who gets what when. A dry run for a release not started (`--version`), read from
 * the platform and changing nothing, or the `plan` query of a running release (`--release`); both
 * print the same plan (or its JSON with --json).
 */
import { connectFromEnv, releases } from '../client';
import { readAppEnv } from '../config/env';
import { PLAN_PAGE_SIZE } from '../domain/plan/page';
import type { ReleasePlan } from '../domain/plan/preview';
import { renderPlan } from '../domain/plan/render';
import { freeMomentsOf } from '../domain/plan/freezes';
import { readFreezeCalendarFile } from '../config/freeze-calendar';
import { DaemonFleetProvider } from '../platform/daemon-client';
import { dryRunPlan } from './dry-run';
import { dryRunInput, parsePlanOptions, UsageError, type PlanOptions } from './options';

async function main(): Promise<void> {
  const options = parsePlanOptions(process.argv.slice(2));
  const plan = options.release !== undefined ? await runningPlan(options.release) : await dryRun(options);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(plan, null, 2)}\n`
      : `${renderPlan(plan, options.all ? { accountsPerWave: Infinity } : {})}\n`,
  );
}

async function dryRun(options: PlanOptions): Promise<ReleasePlan> {
  const env = readAppEnv();
  const fleet = new DaemonFleetProvider(env.FLEET_URL, { token: env.FLEET_TOKEN });
  // The worker's freeze calendar (FREEZE_CALENDAR), read as the release would read it.
  const calendar = env.FREEZE_CALENDAR ? await readFreezeCalendarFile(env.FREEZE_CALENDAR) : undefined;
  const freeAt = calendar ? freeMomentsOf(calendar) : undefined;
  try {
    return await dryRunPlan(fleet, dryRunInput(options), Date.now(), freeAt);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new Error(`cannot read the platform at ${env.FLEET_URL}: ${(error as Error).message}`);
  }
}

/** Every page of the running release's plan, joined. */
async function runningPlan(releaseId: string): Promise<ReleasePlan> {
  const { client, close } = await connectFromEnv(process.env, { connectTimeout: 5_000 });
  try {
    const handle = releases.getHandle(client, releaseId);
    let page = await releases.plan(handle, { pageSize: PLAN_PAGE_SIZE.max });
    const accounts = [...page.accounts];
    while (page.nextPageToken !== undefined) {
      page = await releases.plan(handle, { pageSize: PLAN_PAGE_SIZE.max, pageToken: page.nextPageToken });
      accounts.push(...page.accounts);
    }
    const { accountsMatching: _matching, nextPageToken: _next, ...plan } = page;
    return { ...plan, accounts };
  } finally {
    await close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`npm run plan: ${error.message}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
