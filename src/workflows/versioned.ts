/**
 * The workflows of a versioned worker (src/worker.ts with WORKER_VERSIONING=on), each with its
 * versioning behaviour (README, "Updating the orchestrator"). A separate entry point because an
 * unversioned worker (the test harness, WORKER_VERSIONING=off, replay) must not declare one: the
 * server refuses its every workflow task ("versioning behavior cannot be specified without
 * deployment options being set with versioned mode").
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import { blueGreenDeployment, releaseTrain, stagedRelease } from './index';

// Pinned: a swap lasts minutes and runs start to end on the build it started on, so its code
// never changes under its feet; the old build drains once its swaps have ended.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, blueGreenDeployment);
// Auto-upgrade: a release lasts three days and must never wait for an old build; it moves to the
// current build at its next workflow task, so every change of its code is guarded with patched().
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, stagedRelease);
// Auto-upgrade: a train waits for its release's three days, like the release itself.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, releaseTrain);

export { blueGreenDeployment, releaseTrain, stagedRelease };
