import pino, { type Logger } from 'pino';

export type { Logger };

/** A root logger of the fleet: pino JSON lines; children carry accountId, version and instanceId. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'fleet'): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
