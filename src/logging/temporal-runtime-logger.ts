import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

const TEMPORAL_LEVEL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

/**
 * The Temporal runtime's logger (worker, workflow `log`, activity context) forwarded to pino, so
 * every line the worker prints is structured JSON. Workflow and activity metadata (workflowId,
 * activityType, ...) arrive as `meta` and become fields of the line.
 */
export function pinoRuntimeLogger(logger: Logger): DefaultLogger {
  const level = TEMPORAL_LEVEL[logger.level] ?? 'INFO';
  return new DefaultLogger(level, (entry: LogEntry) => {
    logger[PINO_LEVEL[entry.level]]({ ...entry.meta, source: 'temporal' }, entry.message);
  });
}
