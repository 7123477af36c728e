/**
 * One JSON line on stderr for every fault as it happens (and for what the run sees meanwhile:
 * recoveries, release stages), so a failed run can be read back against its schedule. Stdout is
 * kept for the final report.
 */
export type FaultEvent =
  | 'chaos-start'
  | 'stack-ready'
  | 'plan'
  | 'release-started'
  | 'release-stage'
  | 'worker-started'
  | 'worker-kill'
  | 'worker-exited'
  | 'server-kill'
  | 'server-restarted'
  | 'fleet-outage'
  | 'fleet-restored'
  | 'engine-crash'
  | 'release-ended'
  | 'giving-up';

export interface FaultLog {
  /** Milliseconds since the log was created. */
  elapsedMs(): number;
  write(event: FaultEvent, fields?: Record<string, unknown>): void;
}

export function createFaultLog(write: (line: string) => void = (line) => process.stderr.write(line)): FaultLog {
  const startedAt = Date.now();
  const elapsedMs = () => Date.now() - startedAt;
  return {
    elapsedMs,
    write(event, fields = {}) {
      const line = { chaos: event, t: Math.round(elapsedMs() / 100) / 10, at: new Date().toISOString(), ...fields };
      write(`${JSON.stringify(line)}\n`);
    },
  };
}
