import { Client, Connection } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { readTemporalConnection } from '../config/temporal-connection';

/** A client connected to the cluster the environment names; close() when done. */
export interface ConnectedClient {
  client: Client;
  connection: Connection;
  namespace: string;
  address: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** How long to try before giving up (default: the SDK's). */
  connectTimeout?: Duration;
}

/**
 * Connects the way the worker does: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS / API key and
 * profiles, read by src/config/temporal-connection.ts (default localhost:7233, namespace
 * "default"). A cluster that cannot be reached fails with a message naming its address.
 */
export async function connectFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: ConnectOptions = {},
): Promise<ConnectedClient> {
  const settings = readTemporalConnection(env);
  const address = settings.connectionOptions.address ?? 'localhost:7233';
  const connection = await Connection.connect({ ...settings.connectionOptions, ...options }).catch((error: Error) => {
    throw new Error(`cannot reach Temporal at ${address} (${error.message})`);
  });
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, connection, namespace: settings.namespace, address, close: () => connection.close() };
}
