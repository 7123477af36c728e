/**
 * The modules every workflow run shares (src/workflow-bundle.ts) are evaluated once, before any run
 * exists, and frozen: they and what they import must hold nothing of a run. So they reach no
 * workflow API and no workflow code, and keep no module-level variable.
 */
import path from 'node:path';
import { SHARED_WORKFLOW_MODULES } from '../../../src/workflow-bundle';
import { importClosure, importSpecifiers, readSourceFile, REPO_ROOT } from '../../support/source-rules';

const WORKFLOWS_DIR = path.join(REPO_ROOT, 'src', 'workflows');
const relative = (file: string) => path.relative(REPO_ROOT, file);
const sharedFiles = [...new Set(SHARED_WORKFLOW_MODULES.flatMap((module) => importClosure(module, readSourceFile)))];

describe('modules shared by every workflow run', () => {
  it('import no workflow API and no workflow code', () => {
    const offenders = sharedFiles.flatMap((file) => [
      ...(file.startsWith(WORKFLOWS_DIR) ? [relative(file)] : []),
      ...importSpecifiers(readSourceFile(file) ?? '')
        .filter((specifier) => specifier.startsWith('@temporalio/workflow'))
        .map((specifier) => `${relative(file)} imports ${specifier}`),
    ]);
    expect(offenders).toEqual([]);
  });

  it('keep no module-level variable a run could change', () => {
    const offenders = sharedFiles.filter((file) => /^(export\s+)?(let|var)\s/m.test(readSourceFile(file) ?? ''));
    expect(offenders.map(relative)).toEqual([]);
  });
});
