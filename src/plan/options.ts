/** `npm run plan`'s command line, parsed by zod: a dry run of a release not started, or a running release's plan. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssues, IdSchema } from '../domain/primitives';

export const USAGE = `usage:
  npm run plan -- --version <version> [--kind minor|major] [--start-at <ISO time>] [--stage-length "1 day"]
                  [--accounts a,b,c] [--strategy '<JSON>'] [--release-id <id>] [--all] [--json]
      a dry run: the plan of a release of <version> started now (nothing is started or changed)
  npm run plan -- --release <releaseId> [--all] [--json]
      the plan of a running release (its \`plan\` query)`;

const OptionsSchema = z
  .object({
    version: z.string().optional(),
    release: IdSchema.optional(),
    'release-id': z.string().optional(),
    kind: z.string().optional(),
    'start-at': z.string().optional(),
    'stage-length': z.string().optional(),
    accounts: z.string().optional(),
    strategy: z.string().optional(),
    all: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .refine((options) => (options.version === undefined) !== (options.release === undefined), {
    message: 'give either --version (a dry run) or --release (a running release), not both',
  });
export type PlanOptions = z.output<typeof OptionsSchema>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parsePlanOptions(argv: string[]): PlanOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        version: { type: 'string' },
        release: { type: 'string' },
        'release-id': { type: 'string' },
        kind: { type: 'string' },
        'start-at': { type: 'string' },
        'stage-length': { type: 'string' },
        accounts: { type: 'string' },
        strategy: { type: 'string' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const parsed = OptionsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(`${describeIssues(parsed.error, 'options')}\n${USAGE}`);
  return parsed.data;
}

/** The release input a dry run plans, before the release's own schema checks it. */
export function dryRunInput(options: PlanOptions): Record<string, unknown> {
  let strategy: unknown;
  if (options.strategy !== undefined) {
    try {
      strategy = JSON.parse(options.strategy);
    } catch {
      throw new UsageError(`--strategy must be JSON, for example '{"concurrency":{"wave2":20}}'`);
    }
  }
  return {
    releaseId: options['release-id'] ?? `plan-${options.version ?? ''}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    version: options.version,
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    ...(options.accounts !== undefined ? { accounts: options.accounts.split(',').map((id) => id.trim()) } : {}),
    schedule: {
      ...(options['start-at'] !== undefined ? { startAt: options['start-at'] } : {}),
      ...(options['stage-length'] !== undefined ? { stageLength: options['stage-length'] } : {}),
    },
    ...(strategy !== undefined ? { strategy } : {}),
  };
}
