/** `npm run plan` as a user runs it: a dry run against the real fleet daemon that reads and changes nothing. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ReleasePlan } from '../../../src/domain/plan/preview';
import { oneInstanceAccount, startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { REPO_ROOT } from '../../harness/tools';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(REPO_ROOT, 'src', 'plan', 'main.ts');

let fleet: TestFleet;

beforeAll(async () => {
  fleet = await startTestFleet({
    mode: 'lightweight',
    accounts: [
      oneInstanceAccount('early-a', true),
      oneInstanceAccount('prod-a', false),
      oneInstanceAccount('prod-b', false),
      oneInstanceAccount('prod-c', false),
    ],
  });
}, 60_000);

afterAll(() => fleet?.stop({ expectNoStrays: true }));

async function plan(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(TSX, [MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FLEET_URL: fleet.url, LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

test('a dry run plans every account from its running version, wave by wave, and changes nothing', async () => {
  const before = await fleet.provider.inventory();
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const startAt = `${day}T09:00:00Z`;
  const onDay3 = new Date(Date.parse(startAt) + 2 * 86_400_000).toISOString().slice(0, 10);
  const json = await plan(
    '--version',
    TEST_VERSIONS.next,
    '--start-at',
    startAt,
    '--strategy',
    '{"concurrency":{"wave2":2},"watch":{"duration":"45s"},"keepBlueWarm":0}',
    '--json',
  );
  expect(json.code).toBe(0);
  const parsed = JSON.parse(json.stdout) as ReleasePlan;
  expect(parsed.version).toBe(TEST_VERSIONS.next);
  expect(parsed.waves.map((wave) => wave.accounts)).toEqual([0, 1, 3]);
  expect(parsed.waves[2].transitions).toEqual([{ from: TEST_VERSIONS.current, to: TEST_VERSIONS.next, accounts: 3 }]);
  const day3 = Date.parse(startAt) + 2 * 86_400_000;
  const starts = parsed.accounts.filter((a) => a.wave === 2).map((a) => a.startsAt! - day3);
  // Two at once on Day 3; the third once a swap (45 s watch + 15 s fixed costs) is done.
  expect(starts).toEqual([0, 0, 60_000]);

  const text = await plan('--version', TEST_VERSIONS.next, '--start-at', startAt);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`wave 2 (Day 3): everyone else: 3 account(s)`);
  expect(text.stdout).toContain(`scheduled  ${onDay3} 09:00Z`);
  expect(text.stdout).toMatch(
    new RegExp(`early-a\\s+${TEST_VERSIONS.current} → ${TEST_VERSIONS.next}\\s+${day} 09:00Z`),
  );

  expect((await fleet.provider.inventory()).map((i) => i.instanceId).sort()).toEqual(
    before.map((i) => i.instanceId).sort(),
  );
  expect((await fleet.provider.accountState('prod-a')).version).toBe(TEST_VERSIONS.current);
}, 60_000);

test('a dry run of a version the platform does not know, or of a bad input, says what to fix', async () => {
  const unknown = await plan('--version', '9999.1.0');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("version 9999.1.0 is not in the platform's version catalogue");
  const bad = await plan('--version', TEST_VERSIONS.next, '--stage-length', 'soon');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/the release would be refused: schedule.stageLength/);
  const neither = await plan('--json');
  expect(neither.code).toBe(2);
  expect(neither.stderr).toContain('give either --version (a dry run) or --release (a running release)');
}, 60_000);
