/**
 * The README's upgrade runbook ("Updating the orchestrator"), read as the test runs it: the steps of
 * its bash block by number, each line run verbatim by bash with the runbook's variables set.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT, temporalCli } from '../../harness/tools';

const HEADING = '### Runbook: a new build, in the middle of a release';

/** Step number → its command lines, from the first bash block after the runbook's heading. */
export function runbookSteps(
  readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'),
): Map<number, string[]> {
  const section = readme.slice(readme.indexOf(HEADING));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (!readme.includes(HEADING) || !block) throw new Error(`README.md has no bash block under "${HEADING}"`);
  const steps = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of block[1].split('\n')) {
    const heading = /^# (\d+)\. /.exec(line);
    if (heading) steps.set(Number(heading[1]), (current = []));
    else if (line.trim() && current) current.push(line);
  }
  return steps;
}

export interface RunbookVars {
  OLD_BUILD: string;
  NEW_BUILD: string;
  RETIRED_BUILD?: string;
}

export interface LineResult {
  line: string;
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs one line with bash against the environment's server, the CLI first on PATH. */
export function runLine(
  env: TestWorkflowEnvironment,
  line: string,
  vars: RunbookVars,
  timeoutMs = 90_000,
): Promise<LineResult> {
  const childEnv = {
    ...process.env,
    ...vars,
    PATH: `${path.dirname(temporalCli())}:${process.env.PATH ?? ''}`,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
  };
  return new Promise((resolve) => {
    execFile('bash', ['-c', line], { env: childEnv, encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ line, stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
    });
  });
}

/** Runs every line of a step in order; throws with the CLI's words when one fails. */
export async function runStep(
  env: TestWorkflowEnvironment,
  steps: Map<number, string[]>,
  step: number,
  vars: RunbookVars,
  timeoutMs?: number,
): Promise<LineResult[]> {
  const lines = steps.get(step);
  if (!lines?.length) throw new Error(`the README runbook has no step ${step}`);
  const results: LineResult[] = [];
  for (const line of lines) {
    const result = await runLine(env, line, vars, timeoutMs);
    if (result.code !== 0)
      throw new Error(`runbook step ${step} failed (${result.code}): ${line}\n${result.stderr || result.stdout}`);
    results.push(result);
  }
  return results;
}
