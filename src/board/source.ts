/**
 * What the release board reads, only from Temporal: the releases (a visibility query) and one
 * release's `status` query through src/client. It copies out only what the page shows.
 */
import type { Client } from '@temporalio/client';
import { releases } from '../client';
import { ReleaseStageKey } from '../domain/search-attributes';

export interface ReleaseRow {
  workflowId: string;
  runId: string;
  releaseId: string;
  stage: string;
  status: string;
  startTime: string;
}

export interface BoardRelease {
  releaseId: string;
  stage: string;
  day: number | null;
  targetVersion?: string;
  accounts: Record<string, { wave: number; state: string; outcome?: string; attempted?: string }>;
  openIssues: Array<{ id: number; summary: string; source?: string }>;
  timeline: Array<{ at: string; event: string; detail?: string }>;
}

function keyword(value: unknown): string {
  return Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
}

/** The latest releases first (every run that carries a release stage), up to `limit`. */
export async function listReleases(client: Client, limit = 50): Promise<ReleaseRow[]> {
  const rows: ReleaseRow[] = [];
  for await (const execution of client.workflow.list({ query: `${ReleaseStageKey.name} IS NOT NULL` })) {
    const attributes = execution.searchAttributes ?? {};
    rows.push({
      workflowId: execution.workflowId,
      runId: execution.runId,
      releaseId: keyword(attributes.ReleaseId),
      stage: keyword(attributes[ReleaseStageKey.name]),
      status: execution.status.name,
      startTime: execution.startTime.toISOString(),
    });
    if (rows.length >= limit) break;
  }
  return rows;
}

export async function readRelease(client: Client, releaseId: string): Promise<BoardRelease> {
  const status = await releases.status(releases.getHandle(client, releaseId));
  // Beyond stage, day and the accounts, every field is read as optional: the status query's shape may
  // grow more compact (a summary), and the page then shows what is there.
  const view = status as unknown as Partial<BoardRelease> & { targetVersion?: string };
  return {
    releaseId,
    stage: status.stage,
    day: status.day ?? null,
    targetVersion: view.targetVersion,
    accounts: Object.fromEntries(
      Object.entries(status.accounts).map(([id, a]) => [
        id,
        { wave: a.wave, state: a.state, outcome: a.outcome, attempted: a.attempted },
      ]),
    ),
    openIssues: (view.openIssues ?? []).map((i) => ({ id: i.id, summary: i.summary, source: i.source })),
    timeline: (view.timeline ?? []).slice(-50).map((e) => ({ at: e.at, event: e.event, detail: e.detail })),
  };
}
