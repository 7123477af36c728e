import { setCurrentDetails } from '@temporalio/workflow';
import type { SwapEvent } from '../../domain/deployment/events';
import { statusView, type SwapStatus } from '../../domain/deployment/status';
import type { DeploymentStatus } from '../../domain/deployment/swap';
import type { Transition, Transitioned } from '../../domain/deployment/transitions';
import { renderDetails } from './details';
import { logEvent, noteAfter, upsertAttributes } from './effects';
import { recordSwapMetrics } from './metrics';

/**
 * The swap's status in the workflow: replaced (never edited) by applying a domain transition at
 * the workflow's current time; the events it produced are logged, change the search attributes
 * and refresh the current details shown in the Temporal UI.
 */
export class SwapRecord {
  private current: SwapStatus;
  private note?: string;

  constructor(start: Transitioned) {
    this.current = start.status;
    this.publish(start.events);
  }

  get status(): SwapStatus {
    return this.current;
  }

  /** The answer of the `status` query (ISO times). */
  view(): DeploymentStatus {
    return statusView(this.current);
  }

  apply<I>(transition: Transition<I>, input: I): SwapStatus {
    const { status, events } = transition(this.current, input, Date.now());
    this.current = status;
    this.publish(events);
    return status;
  }

  private publish(events: readonly SwapEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) {
      logEvent(event, this.current);
      upsertAttributes(event);
      recordSwapMetrics(event, this.current);
      const note = noteAfter(event, this.current);
      if (note !== undefined) this.note = note ?? undefined;
    }
    setCurrentDetails(renderDetails(this.view(), this.note));
  }
}
