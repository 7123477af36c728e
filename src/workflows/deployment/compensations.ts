import { log } from '@temporalio/workflow';
import type { RollbackCause, UndoReport } from '../../domain/deployment/rollback';
import { describeFailure } from './failures';

export interface Compensation {
  /** What undoing looks like, for logs and the UI ("route traffic back to blue"). */
  name: string;
  /** Undoes its step, told why the swap rolls back. */
  run: (cause: RollbackCause) => Promise<unknown>;
}

/**
 * The saga's undo list. Each step that changes something registers its compensation before it
 * acts (so a step that crashed half-way is undone too); `runAll` undoes in reverse order and
 * stops at the first compensation that fails, because the ones before it assume it worked
 * (green is never stopped while it may still serve traffic).
 */
export class Compensations {
  private readonly stack: Compensation[] = [];

  add(name: string, run: Compensation['run']): void {
    this.stack.push({ name, run });
  }

  /** Drops a compensation once its step has been undone by the normal flow (maintenance off after promotion). */
  remove(name: string): void {
    const index = this.stack.findIndex((c) => c.name === name);
    if (index >= 0) this.stack.splice(index, 1);
  }

  /** Past the point of no return (blue is being drained): nothing left to undo. */
  clear(): void {
    this.stack.length = 0;
  }

  get pending(): string[] {
    return this.stack.map((c) => c.name);
  }

  async runAll(cause: RollbackCause): Promise<UndoReport> {
    while (this.stack.length > 0) {
      const next = this.stack.pop()!;
      try {
        log.info(`rollback: ${next.name}`);
        await next.run(cause);
      } catch (error) {
        log.error(`rollback step "${next.name}" failed`, { error: String(error) });
        const skipped = this.stack.map((c) => c.name).reverse();
        this.stack.length = 0;
        return { failed: { name: next.name, reason: describeFailure(error) }, skipped };
      }
    }
    return { skipped: [] };
  }
}
