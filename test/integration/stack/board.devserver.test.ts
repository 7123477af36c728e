/**
 * The release board in a real headless Chromium (Debian's package, run with --dump-dom and
 * --screenshot; no browser download): during a release held on an automatic rollback, the page
 * shows the stage, every account as a cell and the right counts per outcome and per wave. The
 * screenshot is kept as a test artefact in test-artifacts/.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { startBoard, type Board } from '../../../src/board/server';
import { releases } from '../../../src/client';
import { releaseWorkflowId } from '../../../src/domain/release/input';
import { createLogger } from '../../../src/logging/logger';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';
import { waitFor } from '../../harness/wait';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT = path.join(REPO_ROOT, 'test-artifacts', 'board-during-release.png');
const ACCOUNTS = Array.from({ length: 24 }, (_, i) => ({
  accountId: `b-${String(i + 1).padStart(2, '0')}`,
  earlyAccess: i < 4,
  useCases: ['fraud-score'],
  instanceCount: 1,
  currentVersion: TEST_VERSIONS.current,
}));

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;
let board: Board;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'board-chromium-'));

beforeAll(async () => {
  fleet = await startTestFleet({ accounts: ACCOUNTS, mode: 'lightweight' });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
  board = await startBoard({
    client: env.client,
    namespace: env.namespace ?? 'default',
    uiUrl: 'http://ui.test',
    port: 0,
  });
}, 120_000);

afterAll(async () => {
  await board?.close();
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop();
  fs.rmSync(profile, { recursive: true, force: true });
});

function chromium(args: string[]): Promise<string> {
  const base = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`];
  return new Promise((resolve, reject) =>
    execFile(
      CHROMIUM,
      [...base, ...args],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 16 << 20 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
}

const text = (dom: string, pattern: RegExp) => pattern.exec(dom)?.[1];

test('during a release the board shows its stage, every account and the right counts; a screenshot is kept', async () => {
  const releaseId = `board-${Date.now()}`;
  const handle = await releases.start(
    env.client,
    {
      releaseId,
      version: TEST_VERSIONS.wrongValues,
      schedule: { stageLength: '1 day' },
      strategy: {
        concurrency: { wave1: 1, wave2: 4 },
        failureBudget: { wave1: 0, wave2: 1 },
        watch: { duration: '1 second', probesPerSecond: 5 },
        keepBlueWarm: 0,
        canary: { sampleSize: 20 },
      },
    },
    { taskQueue: worker.taskQueue, workflowId: releaseWorkflowId(releaseId) },
  );
  // Held on the first early account's automatic rollback: a state that stays while the page is read.
  const status = await waitFor(
    'the release to hold',
    async () => {
      const s = await releases.status(handle).catch(() => undefined);
      return s?.stage === 'held' ? s : undefined;
    },
    120_000,
    500,
  );
  const url = `${board.url}/#${encodeURIComponent(releaseId)}`;
  const dom = await chromium(['--virtual-time-budget=8000', '--dump-dom', url]);

  expect(text(dom, /<b id="stage">([^<]*)<\/b>/)).toBe('held');
  expect(text(dom, /<b id="total">([^<]*)<\/b>/)).toBe(String(ACCOUNTS.length));
  expect(dom.match(/data-account="/g)?.length).toBe(ACCOUNTS.length);
  const expected = new Map<string, number>();
  for (const a of Object.values(status.accounts)) {
    const key = a.state === 'done' ? (a.outcome ?? 'done') : a.state;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  expect(expected.get('rolled-back')).toBe(1);
  for (const [key, n] of expected)
    expect({
      key,
      n: text(dom, new RegExp(`data-count="${key}"><span class="cell s-${key}"></span><span class="n">(\\d+)`)),
    }).toEqual({
      key,
      n: String(n),
    });
  expect(dom).toMatch(/data-wave="1" data-done="1" data-total="4"/);
  expect(dom).toMatch(/data-wave="2" data-done="0" data-total="20"/);
  expect(dom).toMatch(/<ul id="issues"><li>#1 /);
  expect(dom).toContain(`href="http://ui.test/namespaces/default/workflows/release-${releaseId}"`);
  expect(dom).toContain('releases">'); // the list of releases
  expect(dom).toContain(`>${releaseId}<`);

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  fs.rmSync(SCREENSHOT, { force: true });
  await chromium(['--virtual-time-budget=8000', '--window-size=1280,900', `--screenshot=${SCREENSHOT}`, url]);
  expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

  await releases.update.abort(handle, { reason: 'board test done' });
}, 240_000);
