import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/domain/search-attributes';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}

const root = path.resolve(__dirname, '../../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const { services } = compose;

describe('docker-compose.yml (production-like stack; parsed, since no Docker engine runs in CI)', () => {
  it('runs a Temporal server on PostgreSQL', () => {
    expect(services.postgresql.image).toMatch(/^postgres:/);
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  it('serves the Temporal UI on 8080 of this machine only, pointed at the server', () => {
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
    expect(services['temporal-ui'].environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('publishes only what a user opens in a browser (the UI), on 127.0.0.1: not the Temporal frontend, the fleet API or PostgreSQL', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      [...(service.ports ?? [])].map((port) => `${name} ${port}`),
    );
    expect(published).toEqual(['temporal-ui 127.0.0.1:8080:8080']);
    for (const name of ['temporal', 'postgresql', 'fleet', 'worker']) expect(services[name].ports).toBeUndefined();
  });

  it('gives the fleet and the worker one FLEET_TOKEN, which must be set (no secret in the file) because the fleet listens beyond loopback', () => {
    const fleetToken = services.fleet.environment?.FLEET_TOKEN;
    expect(services.fleet.environment?.FLEET_HOST).toBe('0.0.0.0');
    expect(fleetToken).toMatch(/^\$\{FLEET_TOKEN:\?[^}]+\}$/);
    expect(services.worker.environment?.FLEET_TOKEN).toBe(fleetToken);
    // `docker compose config` fails with the message when FLEET_TOKEN is unset or empty.
    expect(fleetToken).toContain('openssl rand -hex 32');
    const file = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(file).not.toMatch(/FLEET_TOKEN:-/);
  });

  it('creates every search attribute of the design at start-up, before the worker starts', () => {
    const command = [services['temporal-search-attributes'].command].flat().join(' ');
    for (const key of SEARCH_ATTRIBUTE_KEYS) expect(command).toContain(key.name);
    expect(command).toContain('--type Keyword');
    expect(services.worker.depends_on).toMatchObject({
      'temporal-search-attributes': { condition: 'service_completed_successfully' },
    });
  });

  it('builds the worker from this repo with the environment it reads', () => {
    expect(services.worker.build).toBe('.');
    expect(services.worker.environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'staged-release',
      FLEET_URL: 'http://fleet:7380',
    });
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm install --omit=dev/);
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/);
    expect(dockerfile).toMatch(/src\/worker\.ts/);
  });

  it('runs the fleet daemon the worker talks to, from the local fleet package in the image', () => {
    expect(services.fleet.build).toBe('.');
    const command = [services.fleet.command].flat().join(' ');
    expect(command).toContain('packages/local-fleet/src/daemon-main.ts');
    expect(fs.existsSync(path.join(root, 'packages/local-fleet/src/daemon-main.ts'))).toBe(true);
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY packages\/local-fleet\/package\.json[\s\S]*npm install --omit=dev/);
    expect(dockerfile).toMatch(/COPY packages \.\/packages/);
  });
});
