import { isProvisionOf, provisionRequestId } from '../../../src/domain/deployment/ownership';

describe('which instances belong to which swap', () => {
  const run = '0195c3a2-7b1e-7a51-9c3e-2f1d5c9e8a10';

  it('names a provision by the swap and the first run of its chain', () => {
    expect(provisionRequestId('release-r1/acme/2026.47.0', run)).toBe(`provision/${run}/release-r1/acme/2026.47.0`);
  });

  it('recognises the provisions of any execution of one swap, and only those', () => {
    const id = 'release-r1/acme/2026.47.0';
    expect(isProvisionOf(provisionRequestId(id, run), id)).toBe(true);
    expect(isProvisionOf(provisionRequestId(id, 'another-run'), id)).toBe(true);
    expect(isProvisionOf(provisionRequestId('release-r1/acme/2026.47.1', run), id)).toBe(false);
    expect(isProvisionOf(provisionRequestId(`${id}-x`, run), id)).toBe(false);
    expect(isProvisionOf('boot/2026.46.0/1700000000000', id)).toBe(false);
    expect(isProvisionOf(undefined, id)).toBe(false);
  });

  it('keeps within the fleet limit of 200 characters and still recognises a long swap id', () => {
    const long = `release-${'r'.repeat(100)}/${'a'.repeat(100)}/2026.47.0`;
    const requestId = provisionRequestId(long, run);
    expect(requestId).toHaveLength(200);
    expect(isProvisionOf(requestId, long)).toBe(true);
  });
});
