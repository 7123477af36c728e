/**
 * A shutdown step that may not hold the rest of the shutdown: after `ms` it is left to finish on
 * its own and the caller goes on, saying which step it did not wait for. Ctrl-C must stop every
 * process `npm start` started even when closing one connection hangs.
 */
import type { Logger } from '../logging/logger';

export async function boundedStep(step: string, work: Promise<unknown>, ms: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  try {
    const outcome = await Promise.race([work.then(() => 'done' as const), timedOut]);
    if (outcome === 'timed-out') logger.warn({ step, waitedMs: ms }, `${step} did not finish in time; going on`);
  } catch (error) {
    logger.warn({ step, err: error }, `${step} failed; going on`);
  } finally {
    clearTimeout(timer);
  }
}
