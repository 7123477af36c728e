import { ConfigError, readAppEnv, workerMetricsAddress } from '../../../src/config/env';
import { readTemporalConnection } from '../../../src/config/temporal-connection';

describe('configuration from the environment', () => {
  it('defaults to the design: task queue staged-release, log level info, local fleet', () => {
    expect(readAppEnv({})).toEqual({
      TEMPORAL_TASK_QUEUE: 'staged-release',
      LOG_LEVEL: 'info',
      FLEET_URL: 'http://127.0.0.1:7380',
      WORKER_MAX_ACTIVITIES: 200,
      WORKER_METRICS_PORT: 9464,
      WORKER_METRICS_HOST: '127.0.0.1',
      TEMPORAL_DEPLOYMENT_NAME: 'staged-release',
      WORKER_VERSIONING: 'on',
    });
  });

  it("reads the worker's metrics endpoint: port and host, 0 turns it off, a bad port says what to write", () => {
    expect(workerMetricsAddress(readAppEnv({}))).toBe('127.0.0.1:9464');
    expect(workerMetricsAddress(readAppEnv({ WORKER_METRICS_PORT: '9500', WORKER_METRICS_HOST: '0.0.0.0' }))).toBe(
      '0.0.0.0:9500',
    );
    expect(workerMetricsAddress(readAppEnv({ WORKER_METRICS_PORT: '0' }))).toBeUndefined();
    expect(() => readAppEnv({ WORKER_METRICS_PORT: '70000' })).toThrow(
      /WORKER_METRICS_PORT must be 0 \(off\) or a port/,
    );
    expect(() => readAppEnv({ WORKER_METRICS_PORT: 'nine' })).toThrow(/WORKER_METRICS_PORT must be a port number/);
    expect(() => readAppEnv({ WORKER_METRICS_HOST: 'a b' })).toThrow(/WORKER_METRICS_HOST must be a host name/);
  });

  it('reads the worker version settings and names a bad one', () => {
    expect(readAppEnv({ BUILD_ID: 'abc123', WORKER_SET_CURRENT: 'never', WORKER_VERSIONING: 'off' })).toMatchObject({
      BUILD_ID: 'abc123',
      WORKER_SET_CURRENT: 'never',
      WORKER_VERSIONING: 'off',
    });
    expect(readAppEnv({ BUILD_ID: '' }).BUILD_ID).toBeUndefined();
    expect(() => readAppEnv({ BUILD_ID: 'a b' })).toThrow(/BUILD_ID may use letters, digits/);
    expect(() => readAppEnv({ WORKER_SET_CURRENT: 'sometimes' })).toThrow(
      /WORKER_SET_CURRENT must be always, if-none or never/,
    );
  });

  it('names every bad variable and says what to write instead', () => {
    const read = () => readAppEnv({ LOG_LEVEL: 'loud', FLEET_URL: 'not a url', WORKER_MAX_ACTIVITIES: '0' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info/);
    expect(read).toThrow(/FLEET_URL must be a URL/);
    expect(read).toThrow(/WORKER_MAX_ACTIVITIES/);
  });

  it("reads the fleet's bearer token, FLEET_TOKEN: unset or empty means none, a short one is refused", () => {
    expect(readAppEnv({}).FLEET_TOKEN).toBeUndefined();
    expect(readAppEnv({ FLEET_TOKEN: '' }).FLEET_TOKEN).toBeUndefined();
    expect(readAppEnv({ FLEET_TOKEN: 'a3f9c2e1b7d84f60a3f9c2e1b7d84f60' }).FLEET_TOKEN).toBe(
      'a3f9c2e1b7d84f60a3f9c2e1b7d84f60',
    );
    expect(() => readAppEnv({ FLEET_TOKEN: 'secret' })).toThrow(/FLEET_TOKEN must be at least 16 characters/);
    expect(() => readAppEnv({ FLEET_TOKEN: 'has spaces in it, sixteen+' })).toThrow(/FLEET_TOKEN may use/);
  });

  it('connects to localhost:7233 in namespace default unless Temporal variables say otherwise', () => {
    const settings = readTemporalConnection({ HOME: '/nonexistent' });
    expect(settings.namespace).toBe('default');
    expect(settings.connectionOptions.address).toBe('localhost:7233');
  });

  it('reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_API_KEY as the Temporal CLI does', () => {
    const settings = readTemporalConnection({
      HOME: '/nonexistent',
      TEMPORAL_ADDRESS: 'prod.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'prod.a1b2c',
      TEMPORAL_API_KEY: 'secret-key',
    });
    expect(settings.namespace).toBe('prod.a1b2c');
    expect(settings.connectionOptions.address).toBe('prod.a1b2c.tmprl.cloud:7233');
    expect(settings.connectionOptions.apiKey).toBe('secret-key');
    // An API key implies TLS, as in the Temporal CLI.
    expect(settings.connectionOptions.tls).toBeTruthy();
  });

  it('rejects an address without a port with a clear message', () => {
    expect(() => readTemporalConnection({ HOME: '/nonexistent', TEMPORAL_ADDRESS: 'http://localhost' })).toThrow(
      /TEMPORAL_ADDRESS must be host:port/,
    );
  });
});
