import { createTrainActivities } from '../../../src/activities/train';
import type { ReleaseDirectory } from '../../../src/activities/release-directory';
import { createLogger } from '../../../src/logging/logger';
import { FakeFleet } from '../../support/fake-fleet';

function fleet(): FakeFleet {
  return new FakeFleet()
    .addVersion('1.0.0', { publishedAt: '2026-11-10T09:00:00Z' })
    .addVersion('1.1.0', { publishedAt: '2026-11-16T09:00:00Z' })
    .addVersion('1.2.0', { channel: 'candidate', publishedAt: '2026-11-17T09:00:00Z' })
    .addAccount({ accountId: 'a', useCases: ['fraud-score'], instanceCount: 1 }, '1.0.0');
}

function directory(found: Record<string, string> = {}): ReleaseDirectory & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    async releasesOfVersion(query) {
      asked.push(query);
      const by = found[query.version];
      return by ? [{ workflowId: by, status: 'COMPLETED' }] : [];
    },
  };
}

describe('the train activity that chooses the version', () => {
  it('reads the catalogue and the versions in the request pools, and asks for earlier releases of its choice', async () => {
    const releases = directory();
    const activities = createTrainActivities({ fleet: fleet(), logger: createLogger('silent'), releases });
    await expect(activities.chooseTrainRelease({ firedAt: '2026-11-17T09:00:00Z' })).resolves.toEqual({
      release: true,
      version: '1.1.0',
      releaseId: '1.1.0',
    });
    expect(releases.asked).toEqual([{ version: '1.1.0', workflowId: 'release-1.1.0' }]);
  });

  it('has nothing to release when its choice was released already', async () => {
    const releases = directory({ '1.1.0': 'release-1.1.0' });
    const activities = createTrainActivities({ fleet: fleet(), logger: createLogger('silent'), releases });
    await expect(activities.chooseTrainRelease({ firedAt: '2026-11-17T09:00:00Z' })).resolves.toEqual({
      release: false,
      reason: 'nothing to release: 1.1.0 already released by release-1.1.0 (completed)',
    });
  });
});
