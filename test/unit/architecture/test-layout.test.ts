/**
 * Unit tests stand on their own: nothing under test/unit imports from test/integration, directly
 * or through shared test code (which belongs in test/support, test/fixtures or test/harness).
 */
import path from 'node:path';
import {
  importChainsInto,
  importSpecifiers,
  readSourceFile,
  REPO_ROOT,
  typescriptFiles,
} from '../../support/source-rules';

const TEST_DIR = path.join(REPO_ROOT, 'test');
const INTEGRATION_DIR = path.join(TEST_DIR, 'integration');
const relative = (file: string) => path.relative(REPO_ROOT, file);

describe('unit tests import nothing from integration tests', () => {
  it('reads every kind of import', () => {
    const source = [
      `import { a } from './a';`,
      `import type { B } from "../b";`,
      `import './side-effect';`,
      `const c = await import('../c');`,
      `const d = require('./d');`,
      `jest.mock('../e');`,
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./a', '../b', './side-effect', '../c', './d', '../e']);
  });

  it('finds a direct import and one through shared test code', () => {
    const files = new Map([
      ['/r/test/unit/x/direct.test.ts', `import { FakeFleet } from '../../integration/deployment/support/fake-fleet';`],
      ['/r/test/unit/x/indirect.test.ts', `import { helper } from '../../support/helper';\nimport { z } from 'zod';`],
      ['/r/test/unit/x/clean.test.ts', `import { other } from '../../support/other';\nimport '../../../src/thing';`],
      ['/r/test/support/helper.ts', `export * from '../integration/stack';`],
      ['/r/test/support/other.ts', `export const other = 1;`],
      ['/r/test/integration/deployment/support/fake-fleet.ts', `export class FakeFleet {}`],
      ['/r/test/integration/stack/index.ts', `export const helper = 1;`],
    ]);
    const chains = (entry: string) => importChainsInto(entry, '/r/test/integration', '/r/test', (f) => files.get(f));
    expect(chains('/r/test/unit/x/direct.test.ts')).toEqual([
      ['/r/test/unit/x/direct.test.ts', '/r/test/integration/deployment/support/fake-fleet.ts'],
    ]);
    expect(chains('/r/test/unit/x/indirect.test.ts')).toEqual([
      ['/r/test/unit/x/indirect.test.ts', '/r/test/support/helper.ts', '/r/test/integration/stack/index.ts'],
    ]);
    expect(chains('/r/test/unit/x/clean.test.ts')).toEqual([]);
  });

  it('holds for every file under test/unit', () => {
    // This file holds examples of the imports it forbids.
    const unitFiles = typescriptFiles(path.join(TEST_DIR, 'unit')).filter((file) => file !== __filename);
    expect(unitFiles.length).toBeGreaterThan(10);
    const offenders = unitFiles.flatMap((file) =>
      importChainsInto(file, INTEGRATION_DIR, TEST_DIR, readSourceFile).map((chain) =>
        chain.map(relative).join(' -> '),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
