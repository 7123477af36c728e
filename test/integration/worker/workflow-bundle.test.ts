/**
 * The worker's bundle evaluates the shared modules once, before any run (src/workflow-bundle.ts).
 * Webpack drops a preloaded module it believes has no side effects, and nothing else would notice:
 * every run would quietly evaluate it again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_WORKFLOW_MODULES, bundleWorkflows } from '../../../src/workflow-bundle';
import { BUNDLE_ENV, MAIN_WORKFLOWS_PATH, quietBundlerLogger } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';

async function bundleCode(): Promise<string> {
  const shared = process.env[BUNDLE_ENV];
  if (shared && fs.existsSync(shared)) return fs.readFileSync(shared, 'utf8');
  return (await bundleWorkflows(MAIN_WORKFLOWS_PATH, quietBundlerLogger)).code;
}

describe('the workflow bundle', () => {
  it('loads every shared module in its preload step', async () => {
    const code = await bundleCode();
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1];
    expect(preload).toBeDefined();
    const loaded = [...preload!.matchAll(/__webpack_require__\([^)]*?"\.\/([^"]+)"\)/g)].map((match) => match[1]);
    expect(loaded).toEqual(SHARED_WORKFLOW_MODULES.map((module) => path.relative(REPO_ROOT, module)));
  });
});
