import pino, { type Logger } from 'pino';

export type { Logger };

/** The one root logger. Children carry releaseId, accountId and version. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'staged-release'): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
