import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUNDLE_ENV, MAIN_WORKFLOWS_PATH, quietBundlerLogger } from './temporal';
import { REPO_ROOT, temporalCli, timeSkippingServer } from './tools';

/** Once per `jest` run: make sure the tools exist, and bundle the real workflows once for every test file. */
export default async function globalSetup(): Promise<void> {
  temporalCli();
  timeSkippingServer();
  const { code } = await bundleWorkflowCode({
    workflowsPath: MAIN_WORKFLOWS_PATH,
    logger: quietBundlerLogger,
  });
  const bundlePath = path.join(REPO_ROOT, '.data', 'test', `workflow-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, code);
  process.env[BUNDLE_ENV] = bundlePath;
}
