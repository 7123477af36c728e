import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeIssues } from './primitives';
import { parseAtOneInstant } from './reference-time';
import { SeedSchema, type FleetSeed, type FleetSeedInput } from './schemas';

/** The demo seed shipped with the package: ten accounts, three of them early-access, and the demo versions. */
export const DEMO_SEED_PATH = findDemoSeed();

/** seeds/demo-accounts.json of the package, whether this runs from src/ or from a compiled dist/src/. */
function findDemoSeed(): string {
  const candidates = [path.resolve(__dirname, '..', 'seeds'), path.resolve(__dirname, '..', '..', 'seeds')];
  const found = candidates.map((dir) => path.join(dir, 'demo-accounts.json')).find((file) => existsSync(file));
  return found ?? path.join(candidates[0], 'demo-accounts.json');
}

export class SeedError extends Error {
  override name = 'SeedError';
}

/** Validates a seed (relative maintenance-window times such as "+2h" are fixed now). */
export function parseSeed(input: FleetSeedInput | unknown, source = 'seed'): FleetSeed {
  const parsed = parseAtOneInstant(() => SeedSchema.safeParse(input));
  if (!parsed.success) {
    throw new SeedError(`${source} is not a valid fleet seed: ${describeIssues(parsed.error, '(root)')}`);
  }
  return parsed.data;
}

export function loadSeedFile(file: string): FleetSeed {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SeedError(`cannot read the seed file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`the seed file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSeed(json, file);
}
