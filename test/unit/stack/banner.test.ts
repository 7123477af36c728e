import { bannerLines, pathLine } from '../../../src/dev-stack/banner';

const CLI = '/home/me/.cache/staged-release/temporal-cli-v1.5.1/temporal';
const base = {
  ui: 'http://localhost:8233',
  address: '127.0.0.1:7233',
  taskQueue: 'staged-release',
  fleetUrl: 'http://127.0.0.1:7380',
};

describe('npm start banner', () => {
  it('prints the exact line that puts the CLI it uses on PATH, and the runbook entry point', () => {
    const text = bannerLines({ ...base, cliPath: CLI, pathEnv: '/usr/bin:/bin' }).join('\n');
    expect(text).toContain('export PATH="/home/me/.cache/staged-release/temporal-cli-v1.5.1:$PATH"');
    expect(text).toContain('npx temporal workflow list');
    expect(text).toContain('npx temporal workflow start --type stagedRelease');
    expect(text).toContain('--name status -o json');
  });

  it('says the CLI is on PATH already instead of printing an export line', () => {
    expect(pathLine(CLI, `/usr/bin:${CLI.replace(/\/temporal$/, '')}`)).toBeUndefined();
    const text = bannerLines({ ...base, cliPath: CLI, pathEnv: CLI.replace(/\/temporal$/, '') }).join('\n');
    expect(text).not.toContain('export PATH');
    expect(text).toContain(`on your PATH is ${CLI}`);
  });

  it('prints the metrics endpoints and the release board it is given', () => {
    const text = bannerLines({
      ...base,
      board: 'http://127.0.0.1:8234',
      metrics: { worker: 'http://127.0.0.1:9464/metrics', fleet: 'http://127.0.0.1:7380/metrics' },
    }).join('\n');
    expect(text).toMatch(/Worker metrics +http:\/\/127\.0\.0\.1:9464\/metrics/);
    expect(text).toMatch(/Fleet metrics +http:\/\/127\.0\.0\.1:7380\/metrics/);
    expect(text).toMatch(/Release board +http:\/\/127\.0\.0\.1:8234/);
    expect(text).not.toContain('Notifications');
  });

  it('prints the inbox of notifications when the board serves it', () => {
    const text = bannerLines({ ...base, board: 'http://127.0.0.1:8234', inbox: 'http://127.0.0.1:8234/inbox' }).join(
      '\n',
    );
    expect(text).toMatch(/Notifications +http:\/\/127\.0\.0\.1:8234\/inbox/);
  });
});
