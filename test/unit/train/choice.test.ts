import { IdSchema } from '../../../src/domain/primitives';
import {
  chooseTrainVersion,
  refuseReleased,
  releaseIdForVersion,
  type CatalogueVersion,
} from '../../../src/domain/train/choice';

const catalogue: CatalogueVersion[] = [
  { version: '2026.46.0', channel: 'stable', publishedAt: '2026-11-10T09:00:00Z' },
  { version: '2026.47.0', channel: 'stable', publishedAt: '2026-11-16T09:00:00Z' },
  { version: '2026.47.1', channel: 'stable', publishedAt: '2026-11-17T08:00:00Z' },
  { version: '2027.1.0', channel: 'candidate', publishedAt: '2026-11-17T09:00:00Z' },
];

describe('what the release train releases', () => {
  it('takes the newest stable version published after what production runs, never a candidate', () => {
    expect(chooseTrainVersion(catalogue, ['2026.46.0', '2026.46.0'])).toEqual({
      release: true,
      version: '2026.47.1',
      releaseId: '2026.47.1',
    });
  });

  it('measures "newer" from the newest-published version any account runs', () => {
    expect(chooseTrainVersion(catalogue, ['2026.46.0', '2026.47.0'])).toMatchObject({ version: '2026.47.1' });
    const choice = chooseTrainVersion(catalogue, ['2026.46.0', '2026.47.1']);
    expect(choice).toEqual({
      release: false,
      reason:
        'nothing to release: no stable version published after 2026.47.1 (2026-11-17T08:00:00Z), the newest that production runs',
    });
  });

  it('says so when the catalogue has no stable version at all', () => {
    expect(chooseTrainVersion([catalogue[3]], [])).toEqual({
      release: false,
      reason: 'nothing to release: the catalogue has no stable version',
    });
  });

  it('ignores running versions the catalogue does not know', () => {
    expect(chooseTrainVersion(catalogue, ['9.9.9'])).toMatchObject({ version: '2026.47.1' });
  });

  it('refuses a version another release runs or completed, naming it', () => {
    const choice = chooseTrainVersion(catalogue, ['2026.46.0']);
    expect(refuseReleased(choice, [])).toBe(choice);
    expect(refuseReleased(choice, [{ workflowId: 'release-2026.47.1', status: 'COMPLETED' }])).toEqual({
      release: false,
      reason: 'nothing to release: 2026.47.1 already released by release-2026.47.1 (completed)',
    });
    expect(refuseReleased(choice, [{ workflowId: 'release-by-hand', status: 'RUNNING' }])).toMatchObject({
      reason: 'nothing to release: 2026.47.1 already released by release-by-hand (running)',
    });
  });
});

describe('the release id of a version', () => {
  it('is the version itself when it is a valid id, and always a valid id', () => {
    expect(releaseIdForVersion('2026.47.1')).toBe('2026.47.1');
    for (const version of ['1.0.0+build.7', '1_0+0', 'a_p', 'a+'])
      expect(IdSchema.safeParse(releaseIdForVersion(version)).success).toBe(true);
  });

  it('never gives two versions the same id', () => {
    const versions = ['a+', 'a_p', 'a__p', 'a_+', 'a+_', 'a++', 'a_', 'a__'];
    expect(new Set(versions.map(releaseIdForVersion)).size).toBe(versions.length);
  });
});
