/**
 * Other releases as Temporal's visibility knows them: which releases of a version run now or
 * completed, so one version is never released twice. Uses the worker's client from the activity
 * context unless one is given.
 */
import { getClient } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ReleaseOfVersion } from '../domain/train/choice';
import { stagedRelease } from '../workflows/release';

export interface ReleaseDirectory {
  /**
   * Releases of `version` (or with workflow id `workflowId`) that are running or completed,
   * leaving out the run `exceptRunId`.
   */
  releasesOfVersion(query: { version: string; workflowId?: string; exceptRunId?: string }): Promise<ReleaseOfVersion[]>;
}

export function temporalReleaseDirectory(client: () => Client = getClient): ReleaseDirectory {
  return {
    async releasesOfVersion({ version, workflowId, exceptRunId }) {
      // Versions and ids hold no quotes (their schemas allow letters, digits and . _ + - only).
      const which = workflowId
        ? `(ReleaseVersion = '${version}' OR WorkflowId = '${workflowId}')`
        : `ReleaseVersion = '${version}'`;
      const query = `WorkflowType = '${stagedRelease.name}' AND ${which} AND (ExecutionStatus = 'Running' OR ReleaseStage = 'completed')`;
      const found: ReleaseOfVersion[] = [];
      for await (const run of client().workflow.list({ query, pageSize: 20 })) {
        if (run.runId !== exceptRunId) found.push({ workflowId: run.workflowId, status: run.status.name });
        if (found.length >= 20) break;
      }
      return found;
    },
  };
}
