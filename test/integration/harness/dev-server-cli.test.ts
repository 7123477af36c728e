import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/domain/search-attributes';
import { runTemporalCli, startDevServer, startTestWorker, temporalJson, type TestWorker } from '../../harness/temporal';

describe('dev server driven through the real temporal CLI', () => {
  let env: TestWorkflowEnvironment;
  let worker: TestWorker;

  beforeAll(async () => {
    env = await startDevServer();
    worker = await startTestWorker(env, {
      workflowsPath: path.join(__dirname, '../../fixtures/workflows/day-timer.ts'),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  it('has every search attribute of the design registered', async () => {
    const result = await runTemporalCli(env, ['operator', 'search-attribute', 'list']);
    expect(result.code).toBe(0);
    for (const key of SEARCH_ATTRIBUTE_KEYS) expect(result.stdout).toMatch(new RegExp(`\\b${key.name}\\s+Keyword\\b`));
  });

  it('starts a workflow, updates, signals and queries it with the CLI', async () => {
    const id = 'cli-day-timer';
    const start = await runTemporalCli(env, [
      'workflow',
      'start',
      '--type',
      'dayTimer',
      '--task-queue',
      worker.taskQueue,
      '--workflow-id',
      id,
      '--input',
      '{"waitFor":"nudge"}',
    ]);
    expect(start.code).toBe(0);

    const update = await temporalJson<{ result: string[] }>(env, [
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'addNote',
      '--input',
      '"from the CLI"',
    ]);
    expect(update.result).toEqual(['from the CLI']);

    const rejected = await runTemporalCli(env, [
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'addNote',
      '--input',
      '""',
    ]);
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr + rejected.stdout).toMatch(/non-empty string/);

    const signal = await runTemporalCli(env, ['workflow', 'signal', '--workflow-id', id, '--name', 'nudge']);
    expect(signal.code).toBe(0);

    const query = await temporalJson<{ queryResult: Array<{ notes: string[]; nudges: number }> }>(env, [
      'workflow',
      'query',
      '--workflow-id',
      id,
      '--name',
      'status',
    ]);
    expect(query.queryResult[0]).toMatchObject({ notes: ['from the CLI'], nudges: 1 });

    const described = await temporalJson<{ workflowExecutionInfo: { status: string } }>(env, [
      'workflow',
      'describe',
      '--workflow-id',
      id,
    ]);
    expect(described.workflowExecutionInfo.status).toMatch(/RUNNING/);
    await runTemporalCli(env, ['workflow', 'terminate', '--workflow-id', id, '--reason', 'test done']);
  });
});
