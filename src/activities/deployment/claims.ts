import { sleep } from '@temporalio/activity';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { ActivityDeps } from '../deps';
import { temporalSwapDirectory } from '../swap-directory';
import { activityLogger, fleetCall, heartbeating } from './support';

type ClaimActivities = Pick<DeploymentActivities, 'claimAccount' | 'releaseAccount'>;

/** How often a waiting swap asks again whether the account is free. */
const POLL_MS = 1_000;

/**
 * One swap per account at a time, whoever started it. The claim lives in the platform (so a
 * release and a manual `deploy-…` swap see each other); a claim whose holder has ended without
 * releasing it (terminated, timed out) is taken over by compare-and-set, so two swaps that both
 * find it stale cannot both win.
 */
export function createClaimActivities({
  fleet,
  logger,
  swaps = temporalSwapDirectory(),
}: ActivityDeps): ClaimActivities {
  return {
    async claimAccount(input) {
      const log = activityLogger(logger, input);
      const deadline = Date.now() + input.waitMs;
      const claim = (replaces?: typeof input.holder) =>
        fleetCall(
          `claim account ${input.accountId}`,
          () => fleet.claimAccount(input.accountId, input.holder, replaces),
          DEPLOYMENT_FAILURES.accountNotFound,
        );
      return heartbeating(async () => {
        for (;;) {
          const answer = await claim();
          if (answer.granted) return { granted: true };
          const heldBy = answer.holder;
          if (heldBy && !(await swaps.isRunning(heldBy))) {
            const taken = await claim(heldBy);
            if (taken.granted) {
              log.warn({ tookOverFrom: heldBy }, 'account claim taken over from a swap that has ended');
              return { granted: true, tookOverFrom: heldBy };
            }
            continue; // someone else was quicker: ask again who holds it
          }
          if (heldBy && Date.now() >= deadline) {
            log.info({ heldBy }, 'account held by another swap; waiting for it');
            return { granted: false, heldBy, ...(answer.since ? { since: answer.since } : {}) };
          }
          await sleep(POLL_MS); // rejects when the activity is cancelled
        }
      });
    },

    async releaseAccount(input) {
      const log = activityLogger(logger, input);
      const { released } = await heartbeating(() =>
        fleetCall(`release account ${input.accountId}`, () => fleet.releaseAccount(input.accountId, input.holder)),
      );
      log.info({ released }, released ? 'account released' : 'account was not held by this swap');
      return { released };
    },
  };
}
