import fc from 'fast-check';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, rawRequest, type RawRequest } from '../helpers';
import { expectUnharmed, snapshotFleet } from '../hostile';

const ACCOUNT = 'target';
const RUNS = 120;

const WORDS = [
  ...['features', 'fraud-score', 'churn-risk', 'healthz', 'readyz', '_router', 'status', '_admin', 'stats'],
  ...['promotion', 'accounts', ACCOUNT, 'bystander', 'instances', 'versions', 'pool', 'state', 'inventory', 'i'],
  ...['', '.', '..', '%2e%2E', '%5Fadmin', 'entity', 'delayMs', 'ids'],
];
const BROKEN_ESCAPES = [
  '%',
  '%Z',
  '%ZZ',
  '%E0%A4',
  '%E0%A4%A',
  '%%',
  '%0',
  '%00',
  '%7F',
  '%C0%AF',
  '%ED%A0%80',
  '%F4%90%80%80',
];

/** Every kind of path segment or query word: known route words, percent-escapes of random bytes, broken escapes, raw text. */
const word = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.constantFrom(...BROKEN_ESCAPES),
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 })
    .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }).map((text) => encodeURIComponent(text)),
);

const query = fc
  .array(fc.tuple(word, fc.option(word, { nil: undefined })), { maxLength: 4 })
  .map((pairs) => pairs.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&'));

const path = fc
  .tuple(fc.array(word, { maxLength: 5 }), fc.option(query, { nil: undefined }))
  .map(([segments, q]) => `/${segments.join('/')}${q === undefined ? '' : `?${q}`}`);

/** A body no endpoint accepts: not JSON, JSON that is not an object, or an object with a key no schema knows. */
const invalidBody = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).map((text) => `{${text}`),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify([value])),
  fc.constantFrom('null', '42', '"text"', 'true', `${'['.repeat(5000)}${']'.repeat(5000)}`),
  fc
    .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })
    .map((fields) => JSON.stringify({ ...fields, __fuzz: true })),
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'text/html',
    'multipart/form-data; boundary=x',
    ';;;',
    'application/x-www-form-urlencoded',
  ),
  { nil: undefined },
);

/**
 * Requests with random targets, types and bodies. `writesNeedBody`: a POST, PUT or PATCH always
 * carries an invalid body, since an empty one reads as `{}`, which some endpoints accept (and obey).
 */
function hostileRequest(prefix: string, methods: string[], writesNeedBody = false): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      method: fc.constantFrom(...methods),
      target: fc.oneof(
        { weight: 8, arbitrary: path.map((p) => prefix + p) },
        { weight: 1, arbitrary: path.map((p) => `http://fleet.local${prefix}${p}`) },
        {
          weight: 1,
          arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((text) => Buffer.from(prefix + text)),
        },
      ),
      contentType,
      body: fc.option(invalidBody, { nil: undefined }),
    })
    .chain((request) =>
      writesNeedBody && ['POST', 'PUT', 'PATCH'].includes(request.method) && request.body === undefined
        ? invalidBody.map((body) => ({ ...request, body }))
        : fc.constant(request),
    )
    .map(({ method, target, contentType: type, body }) => ({
      method,
      target,
      body,
      headers: type === undefined ? [] : [`content-type: ${type}`],
    }));
}

/**
 * Sends every generated request; each must get an answer below 500, with a JSON error when it is
 * refused. One 5xx is by design: the lightweight engine host's 503 for an instance that is not
 * running, marked for the router (which sends the request to another instance).
 */
async function fuzz(baseUrl: string, requests: fc.Arbitrary<RawRequest>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const answer = await rawRequest(baseUrl, request);
      const gone = answer.status === 503 && answer.headers['x-fleet-instance-gone'] === '1';
      const refusedWithJson =
        answer.status < 400 || request.method === 'HEAD' || typeof answer.body?.error === 'string';
      if (answer.status < 200 || (answer.status >= 500 && !gone) || !refusedWithJson) {
        throw new Error(`answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
    }),
    { numRuns: RUNS },
  );
}

const ACCOUNTS = [
  { accountId: ACCOUNT, useCases: ['fraud-score'], instanceCount: 2, currentVersion: TEST_VERSIONS.current },
  { accountId: 'bystander', useCases: ['churn-risk'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
];
const FEATURE_METHODS = ['GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];
// DELETE is left out: `DELETE /accounts/bystander` is a well-formed request the control plane must obey.
const API_METHODS = ['GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS'];

describe.each(['process', 'lightweight'] as const)('fuzzed requests (%s mode)', (mode) => {
  let fleet: LocalTestFleet;
  let routerUrl: URL;
  let engineUrl: URL;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({ mode, accounts: ACCOUNTS });
    const state = await fleet.client.accountState(ACCOUNT);
    routerUrl = new URL(state.routerUrl);
    engineUrl = new URL((await call('GET', `${fleet.url}/instances/${state.pool[0].instanceId}`)).body.url);
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  const base = (url: URL) => `${url.protocol}//${url.host}`;
  const prefix = (url: URL) => (url.pathname === '/' ? '' : url.pathname);

  it.each([
    ['router', () => base(routerUrl), () => hostileRequest(prefix(routerUrl), FEATURE_METHODS)],
    ['engine', () => base(engineUrl), () => hostileRequest(prefix(engineUrl), FEATURE_METHODS)],
    ['control plane', () => fleet.url, () => hostileRequest('', API_METHODS, true)],
  ])(
    '%s: every random path, encoding and body gets an answer below 500, and nothing changes',
    async (_what, url, requests) => {
      const before = await snapshotFleet(fleet);
      await fuzz(url(), requests());
      await expectUnharmed(fleet, before);
    },
  );
});
