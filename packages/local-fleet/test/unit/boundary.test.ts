import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const DECLARED = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
const BUILTINS = new Set(builtinModules);

/** Every TypeScript file of the package (sources and tests). */
function packageFiles(dir = PACKAGE_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return packageFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** import/export-from/require/import() specifiers of a source text, as TypeScript reads them. */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** Why an import in `file` leaves the package, or undefined when it is the package's own or a declared dependency. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const target = path.resolve(path.dirname(file), specifier);
    const inside = target === PACKAGE_ROOT || target.startsWith(PACKAGE_ROOT + path.sep);
    return inside ? undefined : `${specifier} is outside the package`;
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return DECLARED.has(name) ? undefined : `${name} is not a dependency in the package's package.json`;
}

function violations(file: string, text: string): string[] {
  return specifiers(text).flatMap((specifier) => {
    const why = violation(file, specifier);
    return why ? [`${path.relative(PACKAGE_ROOT, file)}: ${why}`] : [];
  });
}

describe('the local fleet package imports nothing from the orchestrator', () => {
  const files = packageFiles();

  it('scans its sources and its tests', () => {
    const relative = files.map((file) => path.relative(PACKAGE_ROOT, file));
    expect(relative).toEqual(
      expect.arrayContaining(['src/daemon.ts', 'src/fleet/fleet.ts', 'test/unit/boundary.test.ts']),
    );
  });

  it('imports only its own files, Node built-ins and the dependencies it declares', () => {
    expect(files.flatMap((file) => violations(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('would catch an import of the orchestrator, by path or by name, or of an undeclared package', () => {
    const file = path.join(PACKAGE_ROOT, 'src', 'fleet', 'example.ts');
    const text = [
      "import { IdSchema } from '../../../../src/domain/primitives';",
      "export { createLogger } from '../../../../src/logging/logger';",
      "const config = require('staged-release/src/config/env');",
      "const worker = import('@temporalio/worker');",
      "import { Fleet } from './fleet';",
      "import { z } from 'zod';",
      "import path from 'node:path';",
    ].join('\n');
    expect(violations(file, text)).toEqual([
      'src/fleet/example.ts: ../../../../src/domain/primitives is outside the package',
      'src/fleet/example.ts: ../../../../src/logging/logger is outside the package',
      "src/fleet/example.ts: staged-release is not a dependency in the package's package.json",
      "src/fleet/example.ts: @temporalio/worker is not a dependency in the package's package.json",
    ]);
  });
});
