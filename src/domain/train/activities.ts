import type { TrainChoice } from './choice';

/** The activities `releaseTrain` calls (implemented in src/activities/train). */
export interface TrainActivities {
  /** The version this firing releases, or why there is none. */
  chooseTrainRelease(input: { firedAt: string }): Promise<TrainChoice>;
}
