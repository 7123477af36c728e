/**
 * The workflows this worker runs; the worker bundles this file.
 *
 * The worker evaluates a workflow's modules again for every run it starts (each run has its own
 * module cache), so each workflow here loads its own modules when a run of it starts, not when
 * the bundle loads: a swap, thousands of them per release, then never evaluates the release's
 * and the train's modules (a third of a swap's start-up on the worker's workflow thread). The
 * require() runs in the workflow's first activation, synchronously, exactly where the import
 * did; nothing a workflow does or records changes.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Deployment from './deployment';
import type * as Release from './release';
import type * as Train from './train';

export function blueGreenDeployment(
  ...args: Parameters<typeof Deployment.blueGreenDeployment>
): ReturnType<typeof Deployment.blueGreenDeployment> {
  return (require('./deployment') as typeof Deployment).blueGreenDeployment(...args);
}

export function stagedRelease(
  ...args: Parameters<typeof Release.stagedRelease>
): ReturnType<typeof Release.stagedRelease> {
  return (require('./release') as typeof Release).stagedRelease(...args);
}

export function releaseTrain(...args: Parameters<typeof Train.releaseTrain>): ReturnType<typeof Train.releaseTrain> {
  return (require('./train') as typeof Train).releaseTrain(...args);
}
