/**
 * The release board in a real headless Chromium (Debian's package, driven by playwright-core; no
 * browser download): during a release it shows the release's stage, the right counts per wave and
 * one cell per account coloured by its state, with links into the Temporal UI. A screenshot of the
 * page is kept in test-artifacts/board-release.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createActivities } from '../../../src/activities';
import { startBoard, type RunningBoard } from '../../../src/board/server';
import { releases } from '../../../src/client';
import { createLogger } from '../../../src/logging/logger';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { waitFor } from '../../harness/wait';
import { REPO_ROOT } from '../../harness/tools';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const UI_URL = 'http://ui.example:8233';
const EARLY = ['early-1', 'early-2', 'early-3'];
const LATE = ['late-1', 'late-2'];

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;
let board: RunningBoard;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  const account = (accountId: string) => ({
    accountId,
    earlyAccess: accountId.startsWith('early'),
    useCases: ['fraud-score'],
    instanceCount: 1,
    currentVersion: TEST_VERSIONS.current,
  });
  fleet = await startTestFleet({ accounts: [...EARLY, ...LATE].map(account) });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
  board = await startBoard({
    client: env.client,
    namespace: 'default',
    uiUrl: UI_URL,
    refreshMs: 500,
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('error', 'board'),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await board?.close();
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

const count = (page: Page, wave: string, mark: string) =>
  page.getAttribute(`[data-testid="${wave}-counts"] [data-mark="${mark}"]`, 'data-count');

test('during a release the board shows its stage, the counts per wave and every account as a cell', async () => {
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'board-2026-47',
      version: TEST_VERSIONS.next,
      accounts: [...EARLY, ...LATE],
      // Wave 2 waits for Day 3, an hour away: the release is running with wave 1 done.
      schedule: { stageLength: '1 hour' },
      strategy: { watch: { duration: '1 second', probesPerSecond: 5 }, keepBlueWarm: 0, canary: { sampleSize: 20 } },
    },
    { taskQueue: worker.taskQueue },
  );
  await waitFor(
    'wave 1 promoted',
    async () => ((await releases.status(handle)).waves.wave1.promoted === EARLY.length ? true : undefined),
    120_000,
    250,
  );

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${board.url}/`);
  await page.waitForSelector('#releases a[href="/releases/board-2026-47"]');

  await page.goto(`${board.url}/releases/board-2026-47`);
  await page.waitForSelector('[data-testid="cells"] .cell');
  const status = await releases.status(handle);
  expect(status.stage).not.toBe('completed');
  expect(await page.textContent('[data-testid="stage"] b')).toBe(status.stage);
  expect(await page.textContent('[data-testid="accounts-total"]')).toBe('5');
  expect(await count(page, 'wave1', 'promoted')).toBe('3');
  expect(await count(page, 'wave1', 'pending')).toBe('0');
  expect(await count(page, 'wave2', 'pending')).toBe('2');
  expect(await count(page, 'wave2', 'promoted')).toBe('0');

  const cells = await page.$$eval('[data-testid="cells"] .cell', (nodes) =>
    nodes.map((node) => [node.getAttribute('data-account'), node.getAttribute('data-mark'), node.getAttribute('href')]),
  );
  const records = await releases.accountRecords(handle);
  expect(cells).toHaveLength(5);
  for (const [accountId, mark, href] of cells) {
    const record = records[accountId ?? ''];
    expect(mark).toBe(record.state === 'done' ? record.outcome : record.state);
    if (record.wave === 1) {
      expect(href).toBe(
        `${UI_URL}/namespaces/default/workflows/${encodeURIComponent(`release-board-2026-47/${accountId}/${TEST_VERSIONS.next}`)}`,
      );
    }
  }
  expect(await page.getAttribute('a:text("open in Temporal UI")', 'href')).toBe(
    `${UI_URL}/namespaces/default/workflows/release-board-2026-47`,
  );
  expect(await page.textContent('[data-testid="timeline"]')).toContain('wave');

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = path.join(ARTIFACTS, 'board-release.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
  await page.close();
  await handle.terminate('board test done');
}, 180_000);

test('the board refuses what it cannot use with a 4xx and stays up', async () => {
  const get = (p: string, init?: RequestInit) => fetch(`${board.url}${p}`, init);
  expect((await get('/api/releases/%E0%A4%A')).status).toBe(400);
  expect((await get('/api/releases/bad%20id')).status).toBe(400);
  expect((await get('/api/releases/no-such-release')).status).toBe(404);
  expect((await get('/nothing/here')).status).toBe(404);
  expect((await get('/api/releases', { method: 'POST', body: '{}' })).status).toBe(405);
  const list = await get('/api/releases');
  expect(list.status).toBe(200);
  expect(((await list.json()) as { releases: unknown[] }).releases.length).toBeGreaterThan(0);
});
