/**
 * `releaseTrain`: one weekly firing of the release train (the Temporal Schedule `release-train`).
 *
 *   choose   the newest stable version newer than what production runs, never one already released;
 *            none: complete with "nothing to release" and the reason, in the result and the UI.
 *   release  start `stagedRelease` of it as a child, Day 1 now (the firing), Day 2 and Day 3 one and
 *            two stage lengths later; wait for its result. The release outlives the train if the
 *            train is terminated (ABANDON), so a stopped train never stops a rollout.
 */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { describeIssues } from '../../domain/primitives';
import { releaseWorkflowId } from '../../domain/release/input';
import type { TrainActivities } from '../../domain/train/activities';
import {
  ReleaseTrainInputSchema,
  type ReleaseTrainInput,
  type ReleaseTrainParams,
  type ReleaseTrainResult,
} from '../../domain/train/input';
import { stagedRelease } from '../release';

const { chooseTrainRelease } = proxyActivities<TrainActivities>({
  startToCloseTimeout: '1 minute',
  // The fleet or visibility being away is waited out, never taken for "nothing to release".
  retry: { maximumInterval: '1 minute' },
  summary: 'choose the version to release',
});

export async function releaseTrain(input: ReleaseTrainInput = {}): Promise<ReleaseTrainResult> {
  const params = parseInput(input);
  const firedAt = workflowInfo().runStartTime.toISOString();
  setCurrentDetails(`**Release train** fired ${firedAt}: choosing the version to release`);
  const choice = await chooseTrainRelease({ firedAt });
  if (!choice.release) return nothingToRelease(choice.reason);
  const { version, releaseId } = choice;
  const workflowId = releaseWorkflowId(releaseId);
  setCurrentDetails(`**Release train** fired ${firedAt}: releasing **${version}** as \`${workflowId}\`, Day 1 now`);
  log.info('release train starts a release', { releaseId, version, firedAt });
  try {
    const result = await executeChild(stagedRelease, {
      workflowId,
      args: [
        {
          releaseId,
          version,
          kind: params.kind,
          notes: [`Weekly release train, fired ${firedAt}`],
          schedule: { startAt: firedAt, stageLength: params.stageLength },
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    setCurrentDetails(`**Release train** fired ${firedAt}: \`${workflowId}\` of **${version}** ended ${result.stage}`);
    return { outcome: 'released', releaseId, version, stage: result.stage };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return nothingToRelease(`nothing to release: ${version} already released by ${workflowId} (running)`);
    const refusal = refusedAtPlanning(error);
    if (refusal) return nothingToRelease(`nothing to release: ${refusal}`);
    throw error;
  }
}

function parseInput(input: ReleaseTrainInput): ReleaseTrainParams {
  const parsed = ReleaseTrainInputSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(
      `Invalid releaseTrain input: ${describeIssues(parsed.error)}`,
      'InvalidInput',
    );
  return parsed.data;
}

function nothingToRelease(reason: string): ReleaseTrainResult {
  setCurrentDetails(`**Release train**: ${reason}`);
  log.info('release train has nothing to release', { reason });
  return { outcome: 'nothing-to-release', reason };
}

/** The release's own refusal of a version already released (a race with a release started by hand). */
function refusedAtPlanning(error: unknown): string | undefined {
  if (!(error instanceof ChildWorkflowFailure)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'InvalidInput') return undefined;
  return /\S+ already released by \S+ \(\w+\)/.exec(cause.message)?.[0];
}
