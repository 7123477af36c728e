/**
 * What a chaos run does, and how hard: every setting has a default that matches the issue's full
 * run (`npm run chaos`); the flags make shorter runs (the jest test uses one).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssues, DurationSchema } from '../../domain/primitives';

const Count = (max: number) => z.coerce.number().int().min(0).max(max);

export const ChaosOptionsSchema = z
  .object({
    /** Seed of every random moment; default: a fresh one (printed, so the run can be replayed). */
    seed: z.coerce.number().int().min(0).max(4_294_967_295).optional(),
    /** Workers killed with SIGKILL, each after a random uptime once it polls; a new one starts each time. */
    workerKills: Count(1000).default(20),
    workerUptimeMin: DurationSchema.default(500),
    workerUptimeMax: DurationSchema.default(5_000),
    /** Dev-server kills (SIGKILL), each started again on the same database file and port after the downtime. */
    serverKills: Count(5).default(1),
    serverDowntime: DurationSchema.default(3_000),
    /** Short cuts of the fleet's control plane (worker side only), and one long one (0: none). */
    shortOutages: Count(50).default(4),
    shortOutage: DurationSchema.default(2_000),
    longOutage: DurationSchema.default(60_000),
    /** Engine instances crashed (SIGKILL) mid-swap: 0 or 1. */
    engineCrashes: Count(1).default(1),
    /** The release's stage length (Day 1 → Day 2 → Day 3). */
    stageLength: DurationSchema.default(20_000).refine((ms) => ms >= 1_000, 'at least 1 second'),
    /** Steady load on one wave-2 account's router. */
    loadRate: z.coerce.number().positive().max(2_000).default(50),
    loadConnections: Count(100).min(1).default(4),
    /** Give up (and fail) when the release has not ended by then. */
    timeout: DurationSchema.default(30 * 60_000),
    /** Give up early when the release stays held this long once every fault is over. */
    heldGrace: DurationSchema.default(90_000),
    /** A prebuilt bundle of src/workflows (the jest run has one); default: bundled once at start. */
    workflowBundlePath: z.string().min(1).optional(),
    /** Level of the harness's own logs and of the processes it starts (stderr); fault lines are always printed. */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  })
  .strict()
  .refine((o) => o.workerUptimeMin <= o.workerUptimeMax, {
    message: 'worker-uptime-min must not exceed worker-uptime-max',
    path: ['workerUptimeMin'],
  });

export type ChaosOptionsInput = z.input<typeof ChaosOptionsSchema>;
export type ChaosOptions = z.output<typeof ChaosOptionsSchema>;

/** Flag name (kebab case) → option name, and what it does. */
const FLAGS = {
  seed: ['seed', 'seed of every random moment (default: a fresh one, printed)'],
  'worker-kills': ['workerKills', 'workers killed with SIGKILL (20)'],
  'worker-uptime-min': ['workerUptimeMin', 'least time a worker polls before it is killed (500ms)'],
  'worker-uptime-max': ['workerUptimeMax', 'most time a worker polls before it is killed (5s)'],
  'server-kills': ['serverKills', 'dev-server kills, each started again on the same file (1)'],
  'server-downtime': ['serverDowntime', 'how long the dev server stays down (3s)'],
  'short-outages': ['shortOutages', "short cuts of the fleet's control plane (4)"],
  'short-outage': ['shortOutage', 'length of each short cut (2s)'],
  'long-outage': ['longOutage', 'length of the one long cut; 0s for none (60s)'],
  'engine-crashes': ['engineCrashes', 'engine instances crashed mid-swap, 0 or 1 (1)'],
  'stage-length': ['stageLength', "the release's stage length (20s)"],
  'load-rate': ['loadRate', "requests per second on one wave-2 account's router (50)"],
  'load-connections': ['loadConnections', 'connections of that load (4)'],
  timeout: ['timeout', 'give up when the release has not ended by then (30m)'],
  'held-grace': ['heldGrace', 'give up when the release stays held this long after the faults (90s)'],
  'log-level': ['logLevel', 'level of the logs on stderr; fault lines always show (warn)'],
} as const satisfies Record<string, readonly [keyof ChaosOptionsInput, string]>;

export const USAGE = `npm run chaos -- [flags]   durations as "2s", "500ms", "1 minute"
${Object.entries(FLAGS)
  .map(([flag, [, help]]) => `  --${flag.padEnd(20)} ${help}`)
  .join('\n')}`;

/** Parses command-line flags; throws with every problem named by its flag. */
export function parseChaosArgs(argv: string[]): ChaosOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const input: Record<string, unknown> = {};
  for (const [flag, [option]] of Object.entries(FLAGS)) {
    const value = values[flag];
    if (typeof value === 'string') input[option] = value;
  }
  const parsed = ChaosOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const optionToFlag = new Map<string, string>(Object.entries(FLAGS).map(([flag, [option]]) => [option, flag]));
    const problems = parsed.error.issues.map((issue) => {
      const line = describeIssues(new z.ZodError([issue])); // "stageLength: <message>"
      const option = String(issue.path[0] ?? '');
      const flag = optionToFlag.get(option);
      return flag ? `  --${flag}${line.slice(option.length)}` : `  ${line}`;
    });
    throw new Error(`invalid flags:\n${problems.join('\n')}\n${USAGE}`);
  }
  return parsed.data;
}
