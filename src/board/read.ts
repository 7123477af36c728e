/**
 * What the release board shows, read only from Temporal: visibility for the list of releases, the
 * release's `status` query for the overview and its paged `accounts` query for one cell per account.
 */
import type { Client } from '@temporalio/client';
import { releases } from '../client';
import type { ListedRelease } from '../client/releases';
import { deploymentWorkflowId } from '../domain/deployment/swap';
import { releaseWorkflowId } from '../domain/release/input';
import type { ReleaseOverview } from '../domain/release/overview';

/** One account as a board cell: [accountId, wave, what colours it, version it runs, swap workflow id]. */
export type BoardCell = [
  accountId: string,
  wave: 0 | 1 | 2,
  mark: string,
  version: string | null,
  swapId: string | null,
];

export interface BoardRelease {
  overview: ReleaseOverview;
  cells: BoardCell[];
  workflowId: string;
  /** Every account read (cells may stop early for very large releases: see MAX_CELLS). */
  cellsOmitted: number;
  readAt: string;
}

/** The board draws at most this many cells (a release holds at most 20,000 accounts). */
export const MAX_CELLS = 20_000;

export function listReleases(client: Client, limit = 50): Promise<ListedRelease[]> {
  return releases.list(client, limit);
}

export async function readRelease(client: Client, releaseId: string): Promise<BoardRelease> {
  const handle = releases.getHandle(client, releaseId);
  const overview = await releases.status(handle);
  const cells: BoardCell[] = [];
  for await (const account of releases.eachAccount(handle, { pageSize: 1000 })) {
    if (cells.length >= MAX_CELLS) break;
    const mark = account.state === 'done' ? (account.outcome ?? 'done') : account.state;
    const swapVersion = account.attempted;
    cells.push([
      account.accountId,
      account.wave,
      mark,
      account.version,
      swapVersion ? deploymentWorkflowId(account.accountId, swapVersion, releaseId) : null,
    ]);
  }
  return {
    overview,
    cells,
    workflowId: releaseWorkflowId(releaseId),
    cellsOmitted: Math.max(0, overview.accountsTotal - cells.length),
    readAt: new Date().toISOString(),
  };
}
