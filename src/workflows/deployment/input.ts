/** The swap's input, parsed at the door: a bad one fails the workflow at once with InvalidInput. */
import { ApplicationFailure } from '@temporalio/workflow';
import { blueGreenInputBeforeRanges } from '../../domain/inputs-before-ranges';
import { describeIssues } from '../../domain/primitives';
import { BlueGreenInputSchema, DEPLOYMENT_FAILURES, type BlueGreenParams } from '../../domain/deployment/swap';
import { parseWithRanges } from '../input-rules';

export function parseSwapInput(input: unknown): BlueGreenParams {
  const parsed = parseWithRanges(input ?? {}, BlueGreenInputSchema, blueGreenInputBeforeRanges);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw ApplicationFailure.nonRetryable(
    `invalid blueGreenDeployment input: ${problems}`,
    DEPLOYMENT_FAILURES.invalidInput,
  );
}
