/**
 * Checks over the repository's own source text, for unit tests that keep architectural rules:
 * workflow types and message names only through the workflows' definitions, and unit tests that
 * stand on their own.
 */
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Every .ts file under `dir` (absolute paths, sorted). */
export function typescriptFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export interface NamedCall {
  line: number;
  call: string;
  name: string;
}

/** Client calls whose first argument names a workflow type, signal, update or query. */
const CLIENT_CALL =
  /\b(start|execute|signalWithStart|startChild|executeChild|query|signal|executeUpdate|startUpdate)\s*(?:<[^()]*?>)?\s*\(\s*(['"`])([^'"`$]*)\2/g;

/** Calls in `source` that spell one of `names` as a string literal instead of passing its definition. */
export function callsNamingByString(source: string, names: ReadonlySet<string>): NamedCall[] {
  const found: NamedCall[] = [];
  for (const match of source.matchAll(CLIENT_CALL)) {
    const [, call, , name] = match;
    if (!names.has(name)) continue;
    found.push({ line: source.slice(0, match.index).split('\n').length, call, name });
  }
  return found;
}

const IMPORT_SPECIFIER =
  /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*)(['"])([^'"]+)\1/g;

/** Module specifiers a file imports (static, dynamic, require, jest.mock). */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT_SPECIFIER)].map((match) => match[2]);
}

/**
 * Follows relative imports from `entry` through the files `read` knows (it answers undefined for
 * a path that is not a file) and answers each chain that reaches a file under `forbiddenDir`.
 * Only files under `within` are followed further (the test tree, not the code under test).
 */
export function importChainsInto(
  entry: string,
  forbiddenDir: string,
  within: string,
  read: (file: string) => string | undefined,
): string[][] {
  const chains: string[][] = [];
  const seen = new Set<string>([entry]);
  const queue: string[][] = [[entry]];
  const isUnder = (file: string, dir: string) => !path.relative(dir, file).startsWith('..');
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1];
    for (const specifier of importSpecifiers(read(file) ?? '')) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveModule(path.resolve(path.dirname(file), specifier), read);
      if (seen.has(target)) continue;
      seen.add(target);
      if (isUnder(target, forbiddenDir)) chains.push([...chain, target]);
      else if (isUnder(target, within)) queue.push([...chain, target]);
    }
  }
  return chains;
}

function resolveModule(base: string, read: (file: string) => string | undefined): string {
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (read(candidate) !== undefined) return candidate;
  }
  return base;
}

/** Reads a file of the working tree; undefined when there is no such file. */
export function readSourceFile(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
