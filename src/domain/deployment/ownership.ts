/**
 * Which instances belong to which swap. A swap provisions green under one request id, the same for
 * every retry, replay, reset or continue-as-new of its execution (so never a second set), a new
 * one for a later execution with the same workflow id; the fleet remembers it on every instance.
 */

/** The fleet's limit on a request id. */
const REQUEST_ID_LIMIT = 200;

/** The provision request id of the swap `workflowId` whose chain of runs started with `firstExecutionRunId`. */
export function provisionRequestId(workflowId: string, firstExecutionRunId: string): string {
  return `provision/${firstExecutionRunId}/${workflowId}`.slice(0, REQUEST_ID_LIMIT);
}

/** Whether an instance's provision request id is one of any execution of the swap `workflowId`. */
export function isProvisionOf(requestId: string | undefined, workflowId: string): boolean {
  const match = requestId === undefined ? null : /^provision\/([^/]+)\//.exec(requestId);
  return match !== null && requestId === provisionRequestId(workflowId, match[1]);
}
