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
  volumes?: string[];
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

  it('publishes only what a user opens in a browser (the Temporal UI, the release board, Grafana), on 127.0.0.1: not the Temporal frontend, the fleet API, Prometheus or PostgreSQL', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      [...(service.ports ?? [])].map((port) => `${name} ${port}`),
    );
    expect(published).toEqual([
      'temporal-ui 127.0.0.1:8080:8080',
      'board 127.0.0.1:8234:8234',
      'grafana 127.0.0.1:3000:3000',
    ]);
    for (const name of ['temporal', 'postgresql', 'fleet', 'worker', 'prometheus'])
      expect(services[name].ports).toBeUndefined();
  });

  it('runs the release board from this repo against the Temporal server, linking into the published UI', () => {
    expect(services.board.build).toBe('.');
    expect([services.board.command].flat().join(' ')).toContain('src/board/main.ts');
    expect(fs.existsSync(path.join(root, 'src/board/main.ts'))).toBe(true);
    expect(services.board.environment).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_UI_URL: 'http://localhost:8080',
      BOARD_HOST: '0.0.0.0',
      BOARD_PORT: '8234',
    });
  });

  it('runs Prometheus on deploy/prometheus: it scrapes every worker replica and the fleet, and loads the alert rules', () => {
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d/);
    expect(services.prometheus.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    const config = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{
        job_name: string;
        metrics_path?: string;
        dns_sd_configs?: Array<{ names: string[]; port: number }>;
        static_configs?: Array<{ targets: string[] }>;
      }>;
    };
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name);
    // The worker's metrics port and host, as the compose file sets them for every replica.
    expect(services.worker.environment).toMatchObject({ WORKER_METRICS_HOST: '0.0.0.0', WORKER_METRICS_PORT: '9464' });
    expect(job('worker')?.dns_sd_configs).toEqual([{ names: ['worker'], type: 'A', port: 9464 }]);
    expect(job('fleet')?.static_configs).toEqual([{ targets: [`fleet:${services.fleet.environment?.FLEET_PORT}`] }]);
    expect(job('fleet')?.metrics_path).toBe('/metrics');
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const rules = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string; for?: string }> }>;
    };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(['ReleaseHeldTooLong', 'RollbackIncomplete']);
    expect(alerts[0].expr).toContain('stage="held"');
    expect(alerts[0].for).toMatch(/^\d+[mh]$/);
    expect(alerts[1].expr).toContain('staged_release_rollbacks_incomplete');
  });

  it('runs Grafana with the Prometheus data source and the Staged Release dashboard provisioned', () => {
    expect(services.grafana.image).toMatch(/^grafana\/grafana:\d/);
    expect(services.grafana.volumes).toEqual([
      './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
      './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
    ]);
    const datasources = parse(
      fs.readFileSync(path.join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string; type: string; url: string }> };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parse(
      fs.readFileSync(path.join(root, 'deploy/grafana/provisioning/dashboards/staged-release.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    const dashboard = JSON.parse(
      fs.readFileSync(path.join(root, 'deploy/grafana/dashboards/staged-release.json'), 'utf8'),
    ) as { uid: string; panels: Array<{ title: string; datasource: { uid: string }; targets: unknown[] }> };
    expect(dashboard.uid).toBe('staged-release');
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe('prometheus');
      expect(panel.targets.length).toBeGreaterThan(0);
    }
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const shown of [
      /Releases by stage/,
      /Swaps over time/,
      /Rollbacks over time/,
      /Rollback time/,
      /error rate per account/,
      /p99 latency per account/,
    ])
      expect(titles).toMatch(shown);
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
