/**
 * The account registry as the planning activity (`listReleaseAccounts`) answers it: compact, so
 * that the answer for 20,000 accounts (the input's maximum) stays well under Temporal's 512 KB
 * payload warning. As a list of account objects it was 940 KB; the ids alone are about a
 * quarter of that. Answers recorded before (that list) still read, so running releases replay.
 */
import { z } from 'zod';
import type { RegistryAccount } from './waves';

export interface CompactRegistry {
  /** Every account id, in registry order. */
  ids: string[];
  /** Positions in `ids` of the accounts that opted into early access. */
  earlyAccess: number[];
  /** Positions in `ids` of the platform's own accounts. */
  internal: number[];
  /** Announced maintenance windows: position in `ids`, start and end (epoch ms). */
  windows: Array<[at: number, start: number, end: number]>;
}

/** What the activity answers now, or answered before this form existed. */
export type RegistryAnswer = CompactRegistry | RegistryAccount[];

const Position = z.number().int().min(0);
const CompactRegistrySchema = z.object({
  ids: z.array(z.string()),
  earlyAccess: z.array(Position),
  internal: z.array(Position),
  windows: z.array(z.tuple([Position, z.number(), z.number()])),
});

export function compactRegistry(accounts: readonly RegistryAccount[]): CompactRegistry {
  const compact: CompactRegistry = { ids: [], earlyAccess: [], internal: [], windows: [] };
  accounts.forEach((account, at) => {
    compact.ids.push(account.accountId);
    if (account.earlyAccess) compact.earlyAccess.push(at);
    if (account.internal) compact.internal.push(at);
    if (account.maintenanceWindow) {
      compact.windows.push([at, account.maintenanceWindow.start, account.maintenanceWindow.end]);
    }
  });
  return compact;
}

/**
 * The accounts an answer lists, with `internal` and `maintenanceWindow` only where set (as the
 * list answered before had them). Throws, saying what is wrong, on an answer of neither form.
 */
export function expandRegistry(answer: RegistryAnswer): RegistryAccount[] {
  if (Array.isArray(answer)) return answer;
  const parsed = CompactRegistrySchema.safeParse(answer);
  if (!parsed.success) throw new Error(`the account registry's answer is malformed: ${parsed.error.message}`);
  const { ids, earlyAccess, internal, windows } = parsed.data;
  const outOfRange = [...earlyAccess, ...internal, ...windows.map(([at]) => at)].find((at) => at >= ids.length);
  if (outOfRange !== undefined) {
    throw new Error(`the account registry's answer names position ${outOfRange} of ${ids.length} accounts`);
  }
  const accounts: RegistryAccount[] = ids.map((accountId) => ({ accountId, earlyAccess: false }));
  for (const at of earlyAccess) accounts[at].earlyAccess = true;
  for (const at of internal) accounts[at].internal = true;
  for (const [at, start, end] of windows) accounts[at].maintenanceWindow = { start, end };
  return accounts;
}
