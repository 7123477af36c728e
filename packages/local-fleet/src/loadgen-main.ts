/**
 * Steady load at an account's router, printed as JSON:
 *   tsx packages/local-fleet/src/loadgen-main.ts --account acme [--fleet http://127.0.0.1:7380] --duration 10s --connections 10 [--rate 200]
 *   tsx packages/local-fleet/src/loadgen-main.ts --url http://127.0.0.1:41234 --duration 10s
 * With --account the router URL and the account's use cases come from the fleet daemon (FLEET_URL, with
 * FLEET_TOKEN when the daemon requires one).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LocalFleetClient } from './client';
import { runLoad } from './loadgen';
import { describeIssues, DurationSchema } from './primitives';

const ArgsSchema = z
  .object({
    url: z.url({ message: '--url must be a URL such as http://127.0.0.1:41234' }).optional(),
    account: z.string().min(1).optional(),
    fleet: z.url({ message: '--fleet must be a URL' }).default('http://127.0.0.1:7380'),
    duration: DurationSchema.default(10_000).refine(
      (ms) => ms > 0,
      '--duration must be longer than 0, such as 10s or 2m',
    ),
    connections: z.coerce.number().int().min(1).max(1000).default(10),
    rate: z.coerce.number().positive().optional(),
    useCase: z.array(z.string().min(1)).optional(),
    entities: z.coerce.number().int().min(1).default(1000),
  })
  .refine((args) => args.url !== undefined || args.account !== undefined, {
    message: 'give --url <routerUrl> or --account <accountId>',
  });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      account: { type: 'string' },
      fleet: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      'use-case': { type: 'string', multiple: true },
      entities: { type: 'string' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse({
    ...values,
    useCase: values['use-case'],
    fleet: values.fleet ?? process.env.FLEET_URL,
  });
  if (!parsed.success) {
    throw new Error(`invalid arguments: ${describeIssues(parsed.error, 'arguments')}`);
  }
  const args = parsed.data;
  let url = args.url;
  let useCases = args.useCase;
  if (args.account) {
    const fleet = new LocalFleetClient(args.fleet, undefined, process.env.FLEET_TOKEN || undefined);
    const [state, account] = await Promise.all([fleet.accountState(args.account), fleet.getAccount(args.account)]);
    url ??= state.routerUrl;
    useCases ??= account.useCases;
  }
  const report = await runLoad({
    url: url!,
    durationMs: args.duration,
    connections: args.connections,
    rate: args.rate,
    useCases,
    entities: args.entities,
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
