/**
 * No workflow type, message or query name is spelled as a string outside the workflows' own
 * definitions: scripts, benches and tests reach them through src/client (or the definitions).
 * The README's Temporal CLI commands, run verbatim by the runbook tests, are CLI arguments, not
 * client calls, so they are not matched.
 */
import path from 'node:path';
import * as deploymentMessages from '../../../src/workflows/deployment/messages';
import * as releaseMessages from '../../../src/workflows/release/messages';
import { blueGreenDeployment } from '../../../src/workflows/deployment';
import { stagedRelease } from '../../../src/workflows/release';
import { releaseTrain } from '../../../src/workflows/train';
import { callsNamingByString, readSourceFile, REPO_ROOT, typescriptFiles } from '../../support/source-rules';

const SCANNED = ['src', 'scripts', 'bench', 'test'].flatMap((dir) => typescriptFiles(path.join(REPO_ROOT, dir)));
const relative = (file: string) => path.relative(REPO_ROOT, file);
const isDefinition = (file: string) => /^src\/workflows\/.*\/messages\.ts$/.test(relative(file));
// This file holds examples of the calls it forbids.
const scanned = SCANNED.filter((file) => !isDefinition(file) && file !== __filename);

function messageNames(module: Record<string, unknown>): string[] {
  return Object.values(module).flatMap((value) => {
    const definition = value as { type?: unknown; name?: unknown } | undefined;
    return typeof definition?.name === 'string' && ['signal', 'update', 'query'].includes(String(definition.type))
      ? [definition.name]
      : [];
  });
}

const NAMES = new Set([
  stagedRelease.name,
  blueGreenDeployment.name,
  releaseTrain.name,
  ...messageNames(releaseMessages),
  ...messageNames(deploymentMessages),
]);

describe('workflow types and message names are never spelled as strings by clients', () => {
  it('knows every name the workflows define', () => {
    expect([...NAMES].sort()).toEqual(
      [
        'abort',
        'accounts',
        'approve',
        'blueGreenDeployment',
        'hold',
        'overrideFreeze',
        'patch',
        'pause',
        'plan',
        'reject',
        'release',
        'releaseNotes',
        'releaseTrain',
        'reportIssue',
        'resume',
        'retryAccount',
        'rollbackAccount',
        'skipAccount',
        'stagedRelease',
        'status',
        'swapStall',
      ].sort(),
    );
    expect(scanned.length).toBeGreaterThan(50);
    expect(scanned.map(relative)).toEqual(expect.arrayContaining(['scripts/demo.ts', 'bench/release-scale.ts']));
  });

  it('finds such a call in every shape a client writes it', () => {
    const source = [
      `const handle = await client.workflow.start('stagedRelease', { taskQueue, workflowId, args: [input] });`,
      `const status = await handle.query<ReleaseStatusView>("status");`,
      `await handle.executeUpdate<ReleaseStatusSummary, [unknown]>(`,
      `  'reportIssue', { args: [{ summary }] });`,
      'await handle.signal(`abort`, { reason });',
      `await client.workflow.execute('blueGreenDeployment', { args: [input] });`,
      `await handle.startUpdate('approve', { args: [{}] });`,
    ].join('\n');
    expect(callsNamingByString(source, NAMES)).toEqual([
      { line: 1, call: 'start', name: 'stagedRelease' },
      { line: 2, call: 'query', name: 'status' },
      { line: 3, call: 'executeUpdate', name: 'reportIssue' },
      { line: 5, call: 'signal', name: 'abort' },
      { line: 6, call: 'execute', name: 'blueGreenDeployment' },
      { line: 7, call: 'startUpdate', name: 'approve' },
    ]);
  });

  it('leaves definitions, CLI arguments and unrelated names alone', () => {
    const source = [
      `await handle.signal(patchSignal, { version, reason });`,
      `await handle.query(statusQuery);`,
      `await runTemporalCli(env, ['workflow', 'query', '--workflow-id', id, '--name', 'status']);`,
      `const ids = this.start(info.accountId, currentVersion, 2);`,
      `await handle.signal('nudge');`,
    ].join('\n');
    expect(callsNamingByString(source, NAMES)).toEqual([]);
  });

  it('holds in src, scripts, bench and test', () => {
    const offenders = scanned.flatMap((file) =>
      callsNamingByString(readSourceFile(file) ?? '', NAMES).map(
        (hit) => `${relative(file)}:${hit.line} ${hit.call}('${hit.name}')`,
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('leaves the name tables to the domain and the workflow definitions', () => {
    const tables = /\b(RELEASE_MESSAGES|DEPLOYMENT_MESSAGES|RELEASE_QUERY_STATUS)\b/;
    const users = scanned
      .filter((file) => !/^src\/(domain|workflows)\//.test(relative(file)))
      .filter((file) => tables.test(readSourceFile(file) ?? ''))
      .map(relative);
    expect(users).toEqual([]);
  });
});
