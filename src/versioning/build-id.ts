/**
 * The worker's version in the `staged-release` Worker Deployment: its build id. BUILD_ID when set
 * (CI passes the commit or image tag); otherwise the git commit of a clean checkout; otherwise (a
 * checkout with local edits, an image without .git) a content hash of the workflow bundle, so two
 * builds with different workflow code never share an id and the same code always gets the same one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Build ids end up in task queue routing and CLI arguments: keep them plain. */
export const BuildIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'BUILD_ID may use letters, digits and . _ - only (e.g. a git commit or an image tag)');

export function bundleHash(code: string): string {
  return `bundle-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

/** The commit of `dir`'s checkout when nothing under it is edited; undefined otherwise or without git. */
export function cleanGitCommit(dir: string): string | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', 'HEAD');
    return git('status', '--porcelain', '--', '.') === '' ? commit : undefined;
  } catch {
    return undefined;
  }
}

export function resolveBuildId(options: { buildId?: string; repoDir: string; bundleCode: string }): string {
  if (options.buildId) return options.buildId;
  return cleanGitCommit(options.repoDir) ?? bundleHash(options.bundleCode);
}
