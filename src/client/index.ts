/**
 * Clients of the workflows, for scripts, benches and tests: every workflow type, message and
 * query is reached through the workflows' own definitions, never spelled as a string.
 *
 *   const { client, close } = await connectFromEnv();
 *   const handle = await releases.start(client, input, { taskQueue });
 *   await releases.update.pause(handle, { reason: 'investigating alerts' });
 *   const status = await releases.status(handle);
 *   await swaps.update.approve(swaps.getHandle(client, { accountId, version }), { by: 'alice' });
 */
export { connectFromEnv, type ConnectedClient, type ConnectOptions } from './connect';
export * as releases from './releases';
export * as swaps from './swaps';
export * as train from './train';
export type { ReleaseHandle } from './releases';
export type { StartedSwap, SwapHandle } from './swaps';
