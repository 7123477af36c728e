import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { ConfigError } from './env';

export interface TemporalConnectionSettings {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

const AddressSchema = z
  .string()
  .regex(
    /^[^\s:/]+:\d{1,5}$/,
    'TEMPORAL_ADDRESS must be host:port, for example localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233',
  );

/**
 * Temporal connection settings, read the way the Temporal CLI and SDKs read them: a profile in
 * the TOML config file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) overridden by TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH, ... .
 * Defaults: localhost:7233, namespace "default".
 */
export function readTemporalConnection(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  } catch (error) {
    throw new ConfigError(`Invalid Temporal connection settings: ${(error as Error).message}`);
  }
  const address = loaded.connectionOptions.address ?? 'localhost:7233';
  const parsedAddress = AddressSchema.safeParse(address);
  if (!parsedAddress.success) throw new ConfigError(parsedAddress.error.issues[0].message + ` (got "${address}")`);
  const namespace = loaded.namespace ?? 'default';
  if (!namespace.trim()) throw new ConfigError('TEMPORAL_NAMESPACE must not be empty');
  return { connectionOptions: { ...loaded.connectionOptions, address }, namespace };
}
