/**
 * Inputs for property-based fuzzing of the workflows (fast-check): any JSON at all, and
 * near-valid values — a valid input with a few of its fields replaced by odd values or removed —
 * which get past the first checks and reach the code behind them. Everything generated is what
 * could arrive on the wire: plain JSON.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A place in a JSON value: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** How many runs each property makes: `FUZZ_RUNS` for a longer local run, else the property's own default. */
export function fuzzRuns(defaultRuns: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : defaultRuns;
}

/**
 * fast-check parameters: a fresh seed each time, or `FUZZ_SEED` to replay a reported failure.
 * Failing runs are not shrunk (each run starts real workflows) unless `FUZZ_SHRINK=1`; a failure
 * report names the seed.
 */
export function fuzzParameters(defaultRuns: number): fc.Parameters<unknown> & { seed: number; numRuns: number } {
  const given = Number(process.env.FUZZ_SEED);
  return {
    numRuns: fuzzRuns(defaultRuns),
    seed: Number.isInteger(given) ? given : (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0,
    endOnFailure: process.env.FUZZ_SHRINK !== '1',
  };
}

const DAY = 86_400_000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Values that tend to break things: edges of every range, odd text, numbers JSON cannot carry exactly. */
const ODD_VALUES: Json[] = [
  '',
  ' ',
  '0',
  '-1 s',
  '0s',
  '999ms',
  '1 second',
  '30 days',
  '31 days',
  '100000000 days',
  `${'9'.repeat(400)} days`,
  '1.5h',
  'soon',
  'NaN',
  'Infinity',
  isoIn(-DAY),
  isoIn(0),
  isoIn(364 * DAY),
  isoIn(366 * DAY),
  '2026-02-30T09:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  'x'.repeat(3000),
  '🙂 ünïcödé',
  '\u0000',
  '__proto__',
  'constructor',
  'minor',
  'major',
  '1.0',
  '2.0',
  '2.1',
  '9999.0.0',
  'not a version',
  'fz-early',
  'nobody',
  0,
  -1,
  1,
  2,
  0.5,
  1e21,
  -1e21,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  1e308,
  true,
  false,
  null,
  [],
  {},
  [null],
  { reason: 'x' },
];

/** Any JSON value, odd values often. */
export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_VALUES) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.double() as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

/** One change of a valid value: a field set to an odd value, or removed. */
export interface Mutation {
  path: JsonPath;
  value: Json | undefined;
}

/** The value with each mutation applied in turn (a copy; missing or non-object parents are replaced by objects). */
export function mutate(valid: Json, mutations: readonly Mutation[]): Json {
  let result = structuredClone(valid);
  for (const { path, value } of mutations) result = setPath(result, path, value);
  return result;
}

function setPath(target: Json, path: JsonPath, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const [head, ...rest] = path;
  const container: Record<string | number, Json> =
    target !== null && typeof target === 'object' ? (target as Record<string | number, Json>) : {};
  const next = setPath(container[head] ?? null, rest, value);
  if (value === undefined && rest.length === 0) {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete container[head];
  } else {
    Object.defineProperty(container, head, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return container as Json;
}

/** Other values a field may take, by its path joined with "." and array indexes as "*" (for example "accounts.*"). */
export type Alternatives = Readonly<Record<string, readonly Json[]>>;

/**
 * A valid value with one or two of the given fields (or a new one) changed: to one of the field's
 * alternatives (often valid, so the run gets past the checks), to an odd value, or removed.
 */
export function nearValid(
  valid: Json,
  paths: readonly JsonPath[],
  alternatives: Alternatives = {},
): fc.Arbitrary<Json> {
  const elsewhere = fc.constantFrom<JsonPath>(['unexpected'], []);
  const path = paths.length
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: elsewhere })
    : elsewhere;
  const mutation = path.chain((at) => {
    const others = alternatives[at.map((key) => (typeof key === 'number' ? '*' : key)).join('.')] ?? [];
    const value: fc.Arbitrary<Json | undefined> = others.length
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...others) },
          { weight: 2, arbitrary: oddValue },
          fc.constant(undefined),
        )
      : fc.option(oddValue, { nil: undefined, freq: 5 });
    return value.map((v) => ({ path: at, value: v }));
  });
  return fc.array(mutation, { minLength: 1, maxLength: 2 }).map((mutations) => mutate(valid, mutations));
}

/** Any JSON, a near-valid value, or the valid one itself. */
export function inputLike(
  valid: Json,
  paths: readonly JsonPath[],
  alternatives: Alternatives = {},
): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
    { weight: 6, arbitrary: nearValid(valid, paths, alternatives) },
    { weight: 1, arbitrary: fc.constant(valid) },
  );
}

/** Every field path of a JSON value (objects and arrays), for mutating each of them. */
export function pathsOf(value: Json, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key])]);
}
