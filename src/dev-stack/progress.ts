/**
 * `npm run demo`'s progress while it follows a release: one line per stage with the accounts'
 * counts. On a terminal the current stage's line is rewritten in place as the counts change; under
 * CI or when the output is not a terminal, each change is a plain line of its own (never the same
 * line twice). Other output (the timeline) is printed above the progress line.
 *
 * It reads only the release's stage, day and each account's state and outcome.
 */

export interface ProgressSnapshot {
  stage: string;
  day: number | null;
  accounts: Record<string, { state: string; outcome?: string | null }>;
}

/** Counts in a stable order: pending, deploying, then each outcome as it first appears. */
export function countAccounts(accounts: ProgressSnapshot['accounts']): Array<[string, number]> {
  const counts = new Map<string, number>([
    ['pending', 0],
    ['deploying', 0],
  ]);
  for (const account of Object.values(accounts)) {
    const key = account.state === 'done' ? (account.outcome ?? 'done') : account.state;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const outcomes = [...counts.keys()].filter((k) => k !== 'pending' && k !== 'deploying').sort();
  return [
    ['pending', counts.get('pending') ?? 0],
    ['deploying', counts.get('deploying') ?? 0],
    ...outcomes.map((key): [string, number] => [key, counts.get(key) ?? 0]),
  ];
}

/** "wave-1   day 1   3 accounts: 1 pending · 1 deploying · 1 rolled-back" */
export function progressLine(snapshot: ProgressSnapshot): string {
  const total = Object.keys(snapshot.accounts).length;
  const counts = countAccounts(snapshot.accounts)
    .filter(([key, n]) => n > 0 || key === 'deploying')
    .map(([key, n]) => `${n} ${key}`)
    .join(' · ');
  const day = snapshot.day === null ? '' : `day ${snapshot.day}`;
  return `${snapshot.stage.padEnd(13)} ${day.padEnd(6)} ${total} account${total === 1 ? '' : 's'}: ${counts}`;
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ReleaseProgress {
  private readonly inPlace: boolean;
  private stage?: string;
  private line?: string;
  private shown = false;

  constructor(
    private readonly out: ProgressOutput = process.stdout,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.inPlace = Boolean(out.isTTY) && !env.CI;
  }

  /** Shows the release as it is now: a new line on a new stage, the same line updated otherwise. */
  update(snapshot: ProgressSnapshot): void {
    const line = `  ▸ ${progressLine(snapshot)}`;
    if (line === this.line) return;
    const newStage = snapshot.stage !== this.stage;
    if (this.inPlace) {
      // A new stage keeps the finished stage's line; the same stage rewrites it.
      this.out.write(this.shown && !newStage ? `\r\x1b[2K${line}` : `${this.shown ? '\n' : ''}${line}`);
      this.shown = true;
    } else {
      this.out.write(`${line}\n`);
    }
    this.stage = snapshot.stage;
    this.line = line;
  }

  /** Prints lines above the progress line (on a terminal the progress line is redrawn below them). */
  log(text: string): void {
    if (this.inPlace && this.shown) this.out.write(`\r\x1b[2K${text}\n${this.line ?? ''}`);
    else this.out.write(`${text}\n`);
  }

  /** Ends the progress line, so what follows starts on a line of its own. */
  done(): void {
    if (this.inPlace && this.shown) this.out.write('\n');
    this.shown = false;
  }
}
