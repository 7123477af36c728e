/**
 * One set of Temporal versions: the compose images, the server and UI `npm run cluster` builds, and
 * the server and UI embedded in the pinned CLI (`npm start`, the tests) must agree. To move them,
 * see the README, "Production-like stack".
 */
import { composeImageTags, goModRequirements, scriptPinnedVersion } from '../../harness/pinned-versions';

const cliVersion = scriptPinnedVersion('ensure-temporal-cli.sh');
const cliRequires = goModRequirements('github.com/temporalio/cli', cliVersion);
const images = composeImageTags();
const bare = (version: string) => version.replace(/^v/, '');

describe('the pinned Temporal versions', () => {
  const server = bare(scriptPinnedVersion('ensure-temporal-server.sh'));
  const ui = bare(scriptPinnedVersion('ensure-temporal-ui-server.sh'));

  it('npm run cluster builds the server the pinned CLI embeds', () => {
    expect(bare(cliRequires.get('go.temporal.io/server') ?? 'missing from the CLI go.mod')).toBe(server);
  });

  it('the compose server and admin-tools images carry that server version', () => {
    expect(images.get('temporalio/auto-setup')).toBe(server);
    expect(images.get('temporalio/admin-tools')).toBe(server);
  });

  it('npm run cluster and the compose file run the UI the pinned CLI embeds', () => {
    expect(bare(cliRequires.get('github.com/temporalio/ui-server/v2') ?? 'missing from the CLI go.mod')).toBe(ui);
    expect(images.get('temporalio/ui')).toBe(ui);
  });

  it('reads real versions, not empty matches', () => {
    expect(cliVersion).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(server).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ui).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
