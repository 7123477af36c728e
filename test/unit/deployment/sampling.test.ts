import { pickSampleRequests } from '../../../src/domain/deployment/sampling';

describe('sample requests', () => {
  it('spreads the sample evenly over the use cases', () => {
    const sample = pickSampleRequests({ useCases: ['a', 'b', 'c'], size: 30, seed: 's' });
    expect(sample).toHaveLength(30);
    for (const useCase of ['a', 'b', 'c']) expect(sample.filter((r) => r.useCase === useCase)).toHaveLength(10);
  });

  it('gives the same sample for the same seed and another for another seed', () => {
    const one = pickSampleRequests({ useCases: ['a'], size: 10, seed: 'deploy-acme/1' });
    expect(pickSampleRequests({ useCases: ['a'], size: 10, seed: 'deploy-acme/1' })).toEqual(one);
    expect(pickSampleRequests({ useCases: ['a'], size: 10, seed: 'deploy-acme/2' })).not.toEqual(one);
  });

  it('picks varied entities', () => {
    const sample = pickSampleRequests({ useCases: ['a'], size: 50, seed: 'x' });
    expect(new Set(sample.map((r) => r.entity)).size).toBeGreaterThan(40);
  });

  it('is empty without use cases', () => {
    expect(pickSampleRequests({ useCases: [], size: 10, seed: 'x' })).toEqual([]);
  });
});
