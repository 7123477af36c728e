/**
 * How the workflows are bundled for a worker. The worker runs every workflow run in one V8 context
 * but gives each run its own module cache, so each swap used to evaluate zod anew: about 7 ms of
 * the one workflow thread per swap. The modules listed here are evaluated once per worker thread
 * instead, before any run starts; the SDK freezes them and every run shares them.
 *
 * Only modules without per-run state may be listed (with what they import): no
 * `@temporalio/workflow`, no module-level value that a run changes (test/unit/architecture checks
 * both). Nor a module that builds zod schemas: a schema binds its methods onto itself when they
 * are first read, which a frozen schema refuses ("object is not extensible").
 */
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

export const SHARED_WORKFLOW_MODULES: readonly string[] = [require.resolve('./workflow-preload')];

/** What the worker's own bundling (`workflowsPath`) is told. */
export const WORKFLOW_BUNDLER_OPTIONS = { preloadModules: [...SHARED_WORKFLOW_MODULES] };

/** The workflows at `workflowsPath` bundled with the shared modules preloaded. */
export function bundleWorkflows(workflowsPath: string, logger: BundleOptions['logger']): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger, ...WORKFLOW_BUNDLER_OPTIONS });
}
