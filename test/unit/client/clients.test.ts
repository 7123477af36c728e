/**
 * The typed clients send each message through its own definition, start the workflows by their
 * functions and find them by the ids the runbook uses. A recording stand-in for the SDK client
 * shows what would go over the wire.
 */
import type { Client } from '@temporalio/client';
import { releases, swaps, type ReleaseHandle, type SwapHandle } from '../../../src/client';
import * as deploymentMessages from '../../../src/workflows/deployment/messages';
import * as releaseMessages from '../../../src/workflows/release/messages';
import { blueGreenDeployment } from '../../../src/workflows/deployment';
import { stagedRelease } from '../../../src/workflows/release';

interface Sent {
  via: string;
  definition: unknown;
  payload: unknown;
}

function recordingHandle(): { handle: ReleaseHandle & SwapHandle; sent: Sent[] } {
  const sent: Sent[] = [];
  const handle = {
    signal: async (definition: unknown, payload: unknown) => void sent.push({ via: 'signal', definition, payload }),
    executeUpdate: async (definition: unknown, options: { args: unknown[] }) => {
      sent.push({ via: 'update', definition, payload: options.args[0] });
      return { answered: true };
    },
    query: async (definition: unknown) => {
      sent.push({ via: 'query', definition, payload: undefined });
      return { queried: true };
    },
  };
  return { handle: handle as unknown as ReleaseHandle & SwapHandle, sent };
}

function recordingClient() {
  const calls: Array<{ call: string; target: unknown; options?: unknown; runId?: string }> = [];
  const workflow = {
    start: async (target: unknown, options: unknown) => {
      calls.push({ call: 'start', target, options });
      return { started: true };
    },
    getHandle: (target: string, runId?: string) => {
      calls.push({ call: 'getHandle', target, runId });
      return { workflowId: target };
    },
  };
  return { client: { workflow } as unknown as Client, calls };
}

describe('release client', () => {
  it('starts stagedRelease by its function, as release-<releaseId> unless told otherwise', async () => {
    const { client, calls } = recordingClient();
    const input = { releaseId: '2026-47', version: '2026.47.0' };
    await releases.start(client, input, { taskQueue: 'staged-release' });
    await releases.start(client, input, { taskQueue: 'q', workflowId: 'custom' });
    expect(calls).toEqual([
      {
        call: 'start',
        target: stagedRelease,
        options: { taskQueue: 'staged-release', workflowId: 'release-2026-47', args: [input] },
      },
      { call: 'start', target: stagedRelease, options: { taskQueue: 'q', workflowId: 'custom', args: [input] } },
    ]);
  });

  it('finds a release by its id', () => {
    const { client, calls } = recordingClient();
    expect(releases.getHandle(client, '2026-47').workflowId).toBe('release-2026-47');
    releases.getHandle(client, '2026-47', 'run-1');
    expect(calls[1]).toEqual({ call: 'getHandle', target: 'release-2026-47', runId: 'run-1' });
  });

  it('sends each message through its own update and signal definition, and queries status', async () => {
    const { handle, sent } = recordingHandle();
    expect(await releases.update.pause(handle, { reason: 'alerts' })).toEqual({ answered: true });
    await releases.update.resume(handle);
    await releases.update.patch(handle, { version: '2026.47.1', reason: 'fix' });
    await releases.update.abort(handle, { reason: 'bad', rollback: true });
    await releases.update.reportIssue(handle, { summary: 'latency' });
    await releases.signal.pause(handle, { reason: 'alerts' });
    await releases.signal.resume(handle);
    await releases.signal.patch(handle, { version: '2026.47.1', reason: 'fix' });
    await releases.signal.abort(handle, { reason: 'bad' });
    await releases.signal.reportIssue(handle, { summary: 'latency' });
    expect(await releases.status(handle)).toEqual({ queried: true });
    expect(sent).toEqual([
      { via: 'update', definition: releaseMessages.pauseUpdate, payload: { reason: 'alerts' } },
      { via: 'update', definition: releaseMessages.resumeUpdate, payload: {} },
      { via: 'update', definition: releaseMessages.patchUpdate, payload: { version: '2026.47.1', reason: 'fix' } },
      { via: 'update', definition: releaseMessages.abortUpdate, payload: { reason: 'bad', rollback: true } },
      { via: 'update', definition: releaseMessages.reportIssueUpdate, payload: { summary: 'latency' } },
      { via: 'signal', definition: releaseMessages.pauseSignal, payload: { reason: 'alerts' } },
      { via: 'signal', definition: releaseMessages.resumeSignal, payload: {} },
      { via: 'signal', definition: releaseMessages.patchSignal, payload: { version: '2026.47.1', reason: 'fix' } },
      { via: 'signal', definition: releaseMessages.abortSignal, payload: { reason: 'bad' } },
      { via: 'signal', definition: releaseMessages.reportIssueSignal, payload: { summary: 'latency' } },
      { via: 'query', definition: releaseMessages.statusQuery, payload: undefined },
    ]);
  });
});

describe('swap client', () => {
  it('starts blueGreenDeployment by its function, as deploy-<account>/<version> or its release child id', async () => {
    const { client, calls } = recordingClient();
    const alone = { accountId: 'acme', version: '2026.47.0' };
    const inRelease = { ...alone, releaseId: '2026-47' };
    await swaps.start(client, alone, { taskQueue: 'q' });
    await swaps.start(client, inRelease, { taskQueue: 'q' });
    await swaps.start(client, alone, { taskQueue: 'q', workflowId: 'bench-acme' });
    expect(calls.map((c) => [c.target, (c.options as { workflowId: string }).workflowId])).toEqual([
      [blueGreenDeployment, 'deploy-acme/2026.47.0'],
      [blueGreenDeployment, 'release-2026-47/acme/2026.47.0'],
      [blueGreenDeployment, 'bench-acme'],
    ]);
  });

  it('finds a swap by account and version (within a release when given)', () => {
    const { client } = recordingClient();
    expect(swaps.getHandle(client, { accountId: 'acme', version: '2026.47.0' }).workflowId).toBe(
      'deploy-acme/2026.47.0',
    );
    expect(swaps.getHandle(client, { accountId: 'acme', version: '2026.47.0', releaseId: 'r1' }).workflowId).toBe(
      'release-r1/acme/2026.47.0',
    );
  });

  it('sends each decision through its own update and signal definition, and queries status', async () => {
    const { handle, sent } = recordingHandle();
    await swaps.update.approve(handle, { by: 'alice' });
    await swaps.update.reject(handle);
    await swaps.signal.approve(handle);
    await swaps.signal.reject(handle, { by: 'bob', reason: 'wait' });
    await swaps.signal.hold(handle, { reason: 'release paused' });
    await swaps.signal.release(handle);
    await swaps.status(handle);
    expect(sent).toEqual([
      { via: 'update', definition: deploymentMessages.approveUpdate, payload: { by: 'alice' } },
      { via: 'update', definition: deploymentMessages.rejectUpdate, payload: {} },
      { via: 'signal', definition: deploymentMessages.approveSignal, payload: {} },
      { via: 'signal', definition: deploymentMessages.rejectSignal, payload: { by: 'bob', reason: 'wait' } },
      { via: 'signal', definition: deploymentMessages.holdSignal, payload: { reason: 'release paused' } },
      { via: 'signal', definition: deploymentMessages.releaseSignal, payload: {} },
      { via: 'query', definition: deploymentMessages.deploymentStatusQuery, payload: undefined },
    ]);
  });
});
