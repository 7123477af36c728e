import { HttpError } from '../../src/http';
import { parseRequestTarget, singleValuedParams } from '../../src/request-target';

function refusal(target: string): { status: number; message: string } | undefined {
  try {
    parseRequestTarget(target);
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, message: error.message };
  }
}

describe('request targets are parsed strictly, never normalized', () => {
  it('decodes segments and parameters, and keeps the raw target to forward', () => {
    expect(parseRequestTarget('/features/fraud%2Dscore?entity=e%201&x=a+b&flag')).toEqual({
      path: '/features/fraud%2Dscore?entity=e%201&x=a+b&flag',
      segments: ['features', 'fraud-score'],
      params: [
        ['entity', 'e 1'],
        ['x', 'a b'],
        ['flag', ''],
      ],
    });
  });

  it('reads the path of an absolute-form target and ignores its authority', () => {
    expect(parseRequestTarget('http://fleet.local:7380/accounts?x=1').path).toBe('/accounts?x=1');
    expect(parseRequestTarget('HTTP://fleet.local').path).toBe('/');
  });

  it.each([
    ['/features/%E0%A4%A?entity=x', 'not correctly percent-encoded'],
    ['/features/%E0%A4', 'not correctly percent-encoded'],
    ['/features/x?entity=%ZZ', 'not correctly percent-encoded'],
    ['/features/x?%', 'not correctly percent-encoded'],
    ['/features/%00', 'control character'],
    ['/features/x?entity=a%0Ab', 'control character'],
    ['/features/../_admin/stats', 'dot segment'],
    ['/features/%2E/x', 'dot segment'],
    ['/features/a b', 'must be percent-encoded'],
    ['/features/é', 'must be percent-encoded'],
    ['/features/x#top', 'must be percent-encoded'],
    ['*', 'is not a path'],
    ['http://[::1/features', 'is not a path'],
    ['ftp://host/features', 'is not a path'],
    ['features/x', 'is not a path'],
  ])('refuses %s with 400 (%s)', (target, why) => {
    const answer = refusal(target);
    expect(answer?.status).toBe(400);
    expect(answer?.message).toContain(why);
  });

  it('quotes client text in messages cut short', () => {
    const answer = refusal(`/${'a'.repeat(5000)}/%ZZ`);
    expect(answer!.message.length).toBeLessThan(400);
  });

  it('refuses a parameter given twice where one value is read', () => {
    expect(singleValuedParams(parseRequestTarget('/f?entity=a&delayMs=3'))).toEqual({ entity: 'a', delayMs: '3' });
    expect(() => singleValuedParams(parseRequestTarget('/f?entity=a&entity=b'))).toThrow(/"entity" more than once/);
    expect(singleValuedParams(parseRequestTarget('/f?__proto__=x'))).toEqual(Object.fromEntries([['__proto__', 'x']]));
  });
});
